/**
 * Pickup, as the kiosk needs it (issue 14 item 3): every ready case of the
 * phone opens at once (the second unlock starts before the first has
 * finished), and the wrong PIN that starts a lockout carries how long it
 * lasts (`retryAfterS`) — for a phone with a case and for one without alike.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { UnlockResult } from "../../src/board/DoorHardware.js";
import { ErrorCode, type LockerError } from "../../src/errors/LockerError.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, RESIDENT, STAFF, type CoreHarness } from "./support/coreHarness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

const PHONE = "13812345678";
const PIN = "482915";

/** Unlocks that take `ms` each, counting how many are in flight at once. */
class SlowDoors extends FakeDoorHardware {
  inFlight = 0;
  maxInFlight = 0;
  slowMs = 0;
  override async unlock(compartment: number): Promise<UnlockResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, this.slowMs));
      return await super.unlock(compartment);
    } finally {
      this.inFlight--;
    }
  }
}

async function readyCase(hw: FakeDoorHardware): Promise<{ caseId: string; compartment: number }> {
  const s = h!.service;
  const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
  hw.set(d.compartment, "open"), hw.set(d.compartment, "closed");
  await s.staffCollect(d.caseId, STAFF);
  hw.set(d.compartment, "open"), hw.set(d.compartment, "closed");
  const r = await s.staffReturn(d.caseId, STAFF);
  hw.set(r.compartment, "open"), hw.set(r.compartment, "closed");
  expect(s.getCase(d.caseId).state).toBe("ready");
  return { caseId: d.caseId, compartment: r.compartment };
}

describe("pickup for the kiosk", () => {
  it("opens every ready case of the phone at once", async () => {
    const hw = new SlowDoors([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()) });
    await h.service.start();
    const a = await readyCase(hw);
    const b = await readyCase(hw);
    expect(a.compartment).not.toBe(b.compartment);
    hw.slowMs = 300;
    hw.maxInFlight = 0;
    const prompts: number[] = [];
    h.events.on("doorPrompt", (p) => p.phase === "open" && prompts.push(p.compartment));
    const opened = await h.service.pickup(PHONE, PIN, RESIDENT);
    expect(opened.map((o) => o.compartment).sort()).toEqual([a.compartment, b.compartment].sort());
    expect(hw.maxInFlight).toBe(2);
    expect(prompts.sort()).toEqual([a.compartment, b.compartment].sort());
  });

  it("says how long the lockout lasts on the wrong PIN that starts it, with or without a case", async () => {
    const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()) });
    await h.service.start();
    await readyCase(hw);
    for (const phone of [PHONE, "13900009999"]) {
      const answers: Array<{ code: number; retryAfterS: unknown }> = [];
      for (let i = 0; i < h.config.pins.freeAttempts + 1; i++) {
        const err = (await h.service.pickup(phone, "000111", { ...RESIDENT, client: `kiosk-${phone}` }).catch((e: LockerError) => e)) as LockerError;
        answers.push({ code: err.code, retryAfterS: err.context.retryAfterS });
      }
      const free = h.config.pins.freeAttempts;
      // Before the lockout: the plain refusal. The one that starts it: refused, with the lockout's length. Then: throttled.
      expect(answers.slice(0, free - 1)).toEqual(Array(free - 1).fill({ code: ErrorCode.Locker_PickupRefused, retryAfterS: undefined }));
      expect(answers[free - 1]).toEqual({ code: ErrorCode.Locker_PickupRefused, retryAfterS: Math.ceil(h.config.pins.baseLockoutMs / 1000) });
      expect(answers[free]!.code).toBe(ErrorCode.Locker_Throttled);
    }
  });
});
