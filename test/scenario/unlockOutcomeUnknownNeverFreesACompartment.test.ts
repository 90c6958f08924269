/**
 * Issue 9, item 2 (the outage from the field): the serial line dies while a
 * drop-off unlock is on the wire; the latch releases; the resident puts the
 * pouch in and closes the door during the outage; the board comes back BEFORE
 * the open timer ends, so the door is seen only closed. The old rule fired
 * door-never-opened, cancelled the case and freed the compartment with the
 * pouch inside. Unknown outcome now never frees it: the drop-off counts (held,
 * audited as door-unseen) and staff find out at their collect.
 * Also: a board that drops out after a clean unlock, while the door is followed.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { UnlockResult } from "../../src/board/DoorHardware.js";
import { ErrorCode, LockerError } from "../../src/errors/LockerError.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { buildCore, RESIDENT, waitFor, type CoreHarness } from "../locker/support/coreHarness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

/** The bus closes right after the unlock frame went out; it is back 100 ms later, the door reading closed. */
class BusBlipMidUnlock extends FakeDoorHardware {
  override async unlock(compartment: number): Promise<UnlockResult> {
    this.unlocks.push(compartment);
    this.online = false;
    this.emit("offline", { reason: "bus closed" });
    setTimeout(() => {
      this.online = true;
      this.emit("online");
    }, 100);
    throw new LockerError("bus /dev/lockerboard closed: EIO", ErrorCode.Board_TransportClosed);
  }
}

const drop = (s: CoreHarness["service"]) => s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: "13812345678", pin: "482915", consent: true }, RESIDENT);

describe("an unlock whose outcome is unknown never frees the compartment", () => {
  it("bus closed mid-unlock, back before the open timer ends, door seen only closed: the drop-off is held, not cancelled", async () => {
    const hw = new BusBlipMidUnlock([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()), config: (c) => (c.rules.doorOpenTimeoutMs = 600) });
    const s = h.service;
    await s.start();
    await expect(drop(s)).rejects.toMatchObject({ code: ErrorCode.Board_TransportClosed });
    const c = s.listCases({})[0]!;
    await waitFor(() => hw.online, "the board back");
    await waitFor(() => s.getCase(c.id).state !== "dropoff_pending", "the open timer", 5_000);
    expect(s.getCase(c.id).state).toBe("dropped_off");
    expect(s.compartments()[0]).toMatchObject({ status: "holding", caseId: c.id });
    expect(h.published.filter((e) => e.type === "cancelled")).toEqual([]);
    expect(s.audit({ caseId: c.id }).map((a) => a.action)).toContain("door-unseen");
  });

  it("board offline for a moment after a clean unlock, door never seen open: held, not freed", async () => {
    const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()), config: (c) => (c.rules.doorOpenTimeoutMs = 600) });
    const s = h.service;
    await s.start();
    const d = await drop(s);
    hw.online = false;
    hw.emit("offline", { reason: "no reply to 3 polls" });
    await new Promise((r) => setTimeout(r, 100));
    hw.online = true;
    hw.emit("online");
    await waitFor(() => s.getCase(d.caseId).state !== "dropoff_pending", "the open timer", 5_000);
    expect(s.getCase(d.caseId).state).toBe("dropped_off");
    expect(s.compartments().find((x) => x.number === d.compartment)).toMatchObject({ status: "holding", caseId: d.caseId });
  });

  it("with the board watched all along, a door never opened still cancels and frees (the rule itself stands)", async () => {
    const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()), config: (c) => (c.rules.doorOpenTimeoutMs = 300) });
    const s = h.service;
    await s.start();
    const d = await drop(s);
    await waitFor(() => s.getCase(d.caseId).state !== "dropoff_pending", "the open timer", 5_000);
    expect(s.getCase(d.caseId).state).toBe("cancelled");
    expect(s.compartments().find((x) => x.number === d.compartment)!.status).toBe("free");
  });
});
