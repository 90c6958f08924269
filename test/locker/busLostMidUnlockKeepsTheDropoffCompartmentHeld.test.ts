import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode, LockerError } from "../../src/errors/LockerError.js";
import type { UnlockResult } from "../../src/board/DoorHardware.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { waitFor } from "../support/waitFor.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

/** The serial line goes away after the unlock frame was written: the pulse may have fired. */
class UnpluggedMidUnlock extends FakeDoorHardware {
  override async unlock(compartment: number): Promise<UnlockResult> {
    this.unlocks.push(compartment);
    this.online = false;
    this.emit("offline", { reason: "bus closed" });
    throw new LockerError("bus tcp://board closed: ECONNRESET", ErrorCode.Board_TransportClosed);
  }
}

describe("the bus is lost while a drop-off unlock is on the wire", () => {
  it("the outcome is unknown: the compartment is not freed for the next person and the case is not cancelled", async () => {
    const hw = new UnpluggedMidUnlock([1, 2, 3, 4, 5, 6]);
    h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()), config: (c) => (c.rules.doorOpenTimeoutMs = 200) });
    const s = h.service;
    await s.start();
    await expect(s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: "13812345678", pin: "482915", consent: true }, RESIDENT)).rejects.toMatchObject({
      code: ErrorCode.Board_TransportClosed,
    });
    const c = s.listCases({})[0]!;
    expect(c.state).not.toBe("cancelled");
    expect(s.compartments()[0]!.status).not.toBe("free");
    // Still unseen when the open timer runs out (board offline): a drop-off that may have happened counts.
    await waitFor(() => s.getCase(c.id).state !== "dropoff_pending", "open timer", 5_000);
    expect(s.getCase(c.id).state).toBe("dropped_off");
    expect(s.compartments()[0]).toMatchObject({ status: "holding", caseId: c.id });
    expect(h.published.filter((e) => e.type === "cancelled")).toEqual([]);
  });
});
