import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT, STAFF } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

const PHONE = "13812345678";
const PIN = "482915";

describe("a pickup that loses a race to a freeze does not leave its door claimed", () => {
  it("the case is frozen while the PIN hash runs: pickup is refused and staff can still open that door", async () => {
    const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()) });
    const s = h.service;
    await s.start();
    const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    await s.staffCollect(d.caseId, STAFF);
    hw.set(1, "open"), hw.set(1, "closed");
    const r = await s.staffReturn(d.caseId, STAFF);
    hw.set(r.compartment, "open"), hw.set(r.compartment, "closed");
    expect(s.getCase(d.caseId).state).toBe("ready");

    // The right PIN is being hashed (async) when wrong PINs from elsewhere freeze the case.
    const pickup = s.pickup(PHONE, PIN, RESIDENT);
    s.ledger.commit((tx) => s.transitions.moveCase(tx, { id: d.caseId }, "pinCapReached", {}, STAFF));
    await expect(pickup).rejects.toMatchObject({ code: ErrorCode.Locker_IllegalTransition });
    expect(hw.unlocks.filter((n) => n === r.compartment).length).toBe(3);
    expect(s.getCase(d.caseId).state).toBe("frozen");

    const before = hw.unlocks.length;
    await expect(s.staffCollect(d.caseId, STAFF)).resolves.toMatchObject({ compartment: r.compartment });
    expect(hw.unlocks.length).toBe(before + 1);
  });
});
