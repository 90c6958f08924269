import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode, type LockerError } from "../../src/errors/LockerError.js";
import type { ManualClock } from "../../src/util/clock.js";
import type { Actor, Presence } from "../../src/locker/LockerApi.js";
import { waitFor } from "../support/waitFor.js";
import { findSecrets, RESIDENT, type Stack, STAFF, startStack } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const PHONE = "15812345678";
const PIN = "604913";
const WRONG = ["604914", "604915", "604916", "604917", "604918", "604919", "604920", "604921", "604922", "604923", "604924"];
const NEW_PIN = "271846";
let stack: Stack | undefined;
afterAll(async () => stack?.stopAll());

async function readyCase(s: Stack): Promise<string> {
  const d = await s.service.startDropoff({ token: s.service.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
  await waitFor(() => s.service.getCase(d.caseId).state === "dropped_off", "drop-off");
  await s.service.staffCollect(d.caseId, STAFF);
  await waitFor(() => s.service.getCase(d.caseId).state === "with_staff", "collect");
  await s.service.staffReturn(d.caseId, STAFF);
  await waitFor(() => s.service.getCase(d.caseId).state === "ready", "return");
  return d.caseId;
}

async function attempt(s: Stack, pin: string, actor: Actor = RESIDENT, presence?: Presence): Promise<LockerError | "opened"> {
  try {
    await s.service.pickup(PHONE, pin, actor, presence);
    return "opened";
  } catch (e) {
    return e as LockerError;
  }
}

describe.skipIf(!requireTool("socat", "the scenario tests (real pseudo-terminals)"))("PIN guessing over a real pty and the board simulator (clock under test control)", () => {
  it("after freeAttempts wrong PINs attempt N+1 is refused — even with the right PIN — until the lockout expires", async () => {
    stack = await startStack({ manualClock: true });
    const clock = stack.clock as ManualClock;
    const { freeAttempts, baseLockoutMs } = stack.config.pins;
    const caseId = await readyCase(stack);
    for (let i = 0; i < freeAttempts; i++) expect(await attempt(stack, WRONG[i]!)).toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    // attempt N+1 with the RIGHT pin: refused by the throttle, before any hash
    const refused = await attempt(stack, PIN);
    expect(refused).toMatchObject({ code: ErrorCode.Locker_Throttled });
    expect((refused as LockerError).context.retryAfterS).toBe(baseLockoutMs / 1000);
    clock.advance(baseLockoutMs - 1000);
    expect(await attempt(stack, PIN)).toMatchObject({ code: ErrorCode.Locker_Throttled });
    // another client (a phone at the locker, with the session its scan of the QR opened) does not get around a phone's lockout
    const web: Actor = { ...RESIDENT, id: "web", via: "web", client: "10.0.0.9" };
    const { session } = stack.service.openFormSession(stack.service.currentDropoffLink().url, web);
    expect(await attempt(stack, PIN, web, { kind: "session", session })).toMatchObject({ code: ErrorCode.Locker_Throttled });
    clock.advance(1001);
    expect(await attempt(stack, PIN)).toBe("opened");
    await waitFor(() => stack!.service.getCase(caseId).state === "collected", "pickup");
  });

  it("an unknown phone gets the same refusal as a wrong PIN", async () => {
    const e = await stack!.service.pickup("13000000000", PIN, { ...RESIDENT, client: "kiosk-2" }).catch((x: LockerError) => x);
    const w = await attempt(stack!, WRONG[0]!, { ...RESIDENT, client: "kiosk-3" });
    expect((e as LockerError).code).toBe(ErrorCode.Locker_PickupRefused);
    expect((e as LockerError).message).toBe((w as LockerError).message);
  });

  it("the hard cap freezes the case; staff reset the PIN; the resident then collects with the new PIN", async () => {
    const s = stack!;
    const clock = s.clock as ManualClock;
    const { freezeAfterFailures, maxLockoutMs } = s.config.pins;
    const caseId = await readyCase(s);
    const before = s.service.getCase(caseId).failedPinAttempts;
    for (let i = before; i < freezeAfterFailures; i++) {
      clock.advance(maxLockoutMs + 1); // wait out each lockout
      expect(await attempt(s, WRONG[i % WRONG.length]!)).toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    }
    expect(s.service.getCase(caseId).state).toBe("frozen");
    clock.advance(maxLockoutMs + 1);
    // frozen: even the right PIN opens nothing, and the answer says no more than a wrong PIN would
    expect(await attempt(s, PIN)).toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    expect(() => s.service.resetPin(caseId, "123456", STAFF)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_WeakPin }));
    s.service.resetPin(caseId, NEW_PIN, STAFF);
    expect(s.service.getCase(caseId)).toMatchObject({ state: "ready", failedPinAttempts: 0 });
    clock.advance(maxLockoutMs + 1);
    expect(await attempt(s, NEW_PIN)).toBe("opened");
    await waitFor(() => s.service.getCase(caseId).state === "collected", "pickup after reset");
    expect(s.service.audit({ caseId, limit: 1000 }).map((a) => a.action)).toEqual(expect.arrayContaining(["case-pinCapReached", "pin-reset", "case-pinReset"]));
  });

  it("a burst of wrong PINs from one kiosk raises a pin-burst alarm and locks that kiosk out", async () => {
    const s = stack!;
    const { burstThreshold } = s.config.pins;
    const kiosk: Actor = { ...RESIDENT, client: "kiosk-burst" };
    for (let i = 0; i < burstThreshold; i++) {
      // a different phone each time: per-phone lockouts do not stop this, the per-kiosk count does
      await s.service.pickup(`139${String(i).padStart(8, "0")}`, WRONG[0]!, kiosk).catch(() => undefined);
    }
    expect(s.published.filter((e) => e.kind === "pin-burst").length).toBe(1);
    await expect(s.service.pickup("13900000099", WRONG[0]!, kiosk)).rejects.toMatchObject({ code: ErrorCode.Locker_Throttled });
  });

  it("no log line holds a PIN or the full phone number", () => {
    expect(findSecrets(stack!.logLines, [PIN, NEW_PIN, ...WRONG, PHONE])).toEqual([]);
  });
});
