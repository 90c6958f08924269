import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import type { UnlockResult } from "../../src/board/DoorHardware.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT, STAFF } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

/** Unlocks wait until the test lets them through (a slow board round trip). */
class SlowUnlockHardware extends FakeDoorHardware {
  private gates: (() => void)[] = [];
  override async unlock(compartment: number): Promise<UnlockResult> {
    await new Promise<void>((r) => this.gates.push(r));
    return super.unlock(compartment);
  }
  releaseAll(): void {
    for (const g of this.gates.splice(0)) g();
  }
  get waiting(): number {
    return this.gates.length;
  }
}

describe("a door being unlocked for a drop-off is busy for everyone else", () => {
  it("staff open of the reserved door while its unlock is on the wire is refused, and the drop-off still completes", async () => {
    const hw = new SlowUnlockHardware([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()) });
    const s = h.service;
    await s.start();
    const dropoff = s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: "13812345678", pin: "482915", consent: true }, RESIDENT);
    await new Promise((r) => setImmediate(r));
    while (hw.waiting === 0) await new Promise((r) => setTimeout(r, 5));
    const staff = s.staffOpen(1, "checking the door", STAFF);
    hw.releaseAll();
    await expect(staff).rejects.toMatchObject({ code: ErrorCode.Locker_Busy });
    const d = await dropoff;
    expect(d.compartment).toBe(1);
    hw.set(1, "open"), hw.set(1, "closed");
    expect(s.getCase(d.caseId).state).toBe("dropped_off");
    expect(s.compartments()[0]!.status).toBe("holding");
  });
});
