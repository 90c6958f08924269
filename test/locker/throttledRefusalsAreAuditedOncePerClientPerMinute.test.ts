import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { THROTTLED_AUDIT_WINDOW_MS } from "../../src/locker/ThrottledRefusals.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

const PHONE = "13512345678";

describe("pickups refused by a PIN lockout", () => {
  it("write one row at the first refusal and one summary with the count per client and minute, not one row each", async () => {
    const clock = new ManualClock(Date.now());
    // A long lockout so the phone stays locked across the window boundary.
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock, config: (c) => (c.pins.baseLockoutMs = 600_000) });
    const s = h.service;
    await s.start();
    const throttledRows = () => s.ledger.auditLog.query({ limit: 100_000 }).filter((e) => e.action === "pickup" && e.reason?.startsWith("throttled"));

    for (let i = 0; i < h.config.pins.freeAttempts; i++) await expect(s.pickup(PHONE, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    for (let i = 0; i < 200; i++) await expect(s.pickup(PHONE, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_Throttled });
    expect(throttledRows()).toHaveLength(1);
    expect(throttledRows()[0]).toMatchObject({ outcome: "refused", reason: "throttled", detail: { phone: "135****5678" } });

    // The next refusal after the window closes the old window (summary) and opens a new one (first row).
    clock.advance(THROTTLED_AUDIT_WINDOW_MS + 1);
    await expect(s.pickup(PHONE, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_Throttled });
    await expect(s.pickup(PHONE, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_Throttled });
    const rows = throttledRows();
    expect(rows.map((r) => r.reason)).toEqual(["throttled", "throttled (aggregated)", "throttled"]);
    expect(rows[1]!.detail).toMatchObject({ client: RESIDENT.client, count: 199, phones: 1, samplePhones: ["135****5678"] });
    expect(rows[1]!.actorKind).toBe("resident");

    // Stopping the daemon writes the open window's count too (nothing counted is lost on a clean stop).
    s.stop();
    expect(throttledRows().map((r) => r.reason)).toEqual(["throttled", "throttled (aggregated)", "throttled", "throttled (aggregated)"]);
    expect(throttledRows()[3]!.detail).toMatchObject({ count: 1 });
    expect(JSON.stringify(throttledRows())).not.toContain(PHONE);
  });
});
