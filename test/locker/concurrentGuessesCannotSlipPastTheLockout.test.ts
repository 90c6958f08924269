import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode, type LockerError } from "../../src/errors/LockerError.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

/** Codes of the refusals of many pickups started at once (the PIN hash is asynchronous). */
async function codesOf(attempts: Promise<unknown>[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const r of await Promise.allSettled(attempts)) {
    if (r.status !== "rejected") throw new Error("a wrong PIN was accepted");
    const code = (r.reason as LockerError).code;
    out.set(code, (out.get(code) ?? 0) + 1);
  }
  return out;
}

describe("wrong PINs sent all at once", () => {
  it("for one phone get only the free attempts hashed; the rest are throttled", async () => {
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock: new ManualClock(Date.now()) });
    await h.service.start();
    const codes = await codesOf(Array.from({ length: 30 }, (_, i) => h!.service.pickup("13512345678", "730241", { ...RESIDENT, client: `phone-${i}` })));
    expect(codes.get(ErrorCode.Locker_PickupRefused)).toBe(h.config.pins.freeAttempts);
    expect(codes.get(ErrorCode.Locker_Throttled)).toBe(30 - h.config.pins.freeAttempts);
  });

  it("from one client get at most the burst threshold hashed, whatever the phones", async () => {
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock: new ManualClock(Date.now()) });
    await h.service.start();
    const n = h.config.pins.burstThreshold * 2;
    const codes = await codesOf(Array.from({ length: n }, (_, i) => h!.service.pickup(`137${String(10_000_000 + i)}`, "730241", RESIDENT)));
    expect(codes.get(ErrorCode.Locker_PickupRefused)).toBe(h.config.pins.burstThreshold);
    expect(codes.get(ErrorCode.Locker_Throttled)).toBe(n - h.config.pins.burstThreshold);
  });
});
