/**
 * Issue 9, item 10 (token part): a wall clock that is wrong but plausible (a
 * year ahead), then corrected by NTP. A kiosk QR token minted in the wrong
 * year carries a wall-clock expiry a year away; its life is also bounded by
 * monotonic time since minting, so it is refused after its normal lifetime —
 * also across a restart (monotonic time starts again: a token this process
 * did not mint counts from the process start).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { buildCore, RESIDENT, type CoreHarness } from "../support/harness.js";
import { makeTempDir, removeDir } from "../support/tempDir.js";

const YEAR = 365 * 86_400_000;
const harnesses: CoreHarness[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

async function core(clock: ManualClock, dir?: string): Promise<CoreHarness> {
  const h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock, ...(dir ? { dir } : {}) });
  harnesses.push(h);
  await h.service.start();
  return h;
}
const dropoff = (h: CoreHarness, token: string) => h.service.startDropoff({ token, matter: "other", phone: "13812345678", pin: "482915", consent: true }, RESIDENT);

describe("a QR token minted while the wall clock was a year ahead", () => {
  it("is refused once its lifetime has passed on the monotonic clock, although its wall expiry is a year away", async () => {
    const clock = new ManualClock(Date.now() + YEAR);
    const h = await core(clock);
    const ttl = h.config.rules.tokenTtlMs;
    const { token } = h.service.currentDropoffLink();
    clock.setWall(clock.wallMs() - YEAR); // NTP corrects the clock
    expect(h.service.checkDropoffToken(token)).toMatchObject({ ok: true }); // still within its lifetime
    clock.advance(ttl + 1);
    expect(h.service.checkDropoffToken(token)).toMatchObject({ ok: false, code: ErrorCode.Locker_TokenExpired });
    await expect(dropoff(h, token)).rejects.toMatchObject({ code: ErrorCode.Locker_TokenExpired });
    expect(() => h.service.openFormSession(token, RESIDENT)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenExpired }));
    // The kiosk is not left showing it: the current link is a fresh one that works.
    const fresh = h.service.currentDropoffLink().token;
    expect(fresh).not.toBe(token);
    await expect(dropoff(h, fresh)).resolves.toMatchObject({ compartment: 1 });
  });

  it("minted by the process before a restart: lives at most its lifetime after the restart", async () => {
    const dir = makeTempDir("lockerd-qrclock-");
    dirs.push(dir);
    const before = new ManualClock(Date.now() + YEAR);
    const first = await core(before, dir);
    const ttl = first.config.rules.tokenTtlMs;
    const { token } = first.service.currentDropoffLink();
    first.close();
    harnesses.splice(harnesses.indexOf(first), 1);

    // Restarted with the corrected clock (monotonic time starts again).
    const after = new ManualClock(Date.now(), 1_000);
    const second = await core(after, dir);
    expect(second.service.checkDropoffToken(token)).toMatchObject({ ok: true });
    after.advance(ttl + 1);
    expect(second.service.checkDropoffToken(token)).toMatchObject({ ok: false, code: ErrorCode.Locker_TokenExpired });
  });

  it("a token minted under a correct clock still expires by its wall time, and works within its lifetime", async () => {
    const clock = new ManualClock(Date.now());
    const h = await core(clock);
    const { token } = h.service.currentDropoffLink();
    clock.advance(h.config.rules.tokenTtlMs - 1);
    expect(h.service.checkDropoffToken(token)).toMatchObject({ ok: true });
    clock.setWall(clock.wallMs() + 2); // wall past the expiry, monotonic not
    expect(h.service.checkDropoffToken(token)).toMatchObject({ ok: false, code: ErrorCode.Locker_TokenExpired });
  });
});
