import { afterAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import * as pins from "../../src/locker/pins.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

vi.mock("../../src/locker/pins.js", async (importOriginal) => {
  const orig = await importOriginal<typeof import("../../src/locker/pins.js")>();
  return { ...orig, verifyPin: vi.fn(orig.verifyPin) };
});

let h: CoreHarness | undefined;
afterAll(() => h?.close());

describe("a flood of wrong PINs", () => {
  it("is refused by the lockout lookups without computing a single further scrypt hash", async () => {
    const clock = new ManualClock(Date.now());
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock });
    await h.service.start();
    const verify = vi.mocked(pins.verifyPin);
    const phone = "13512345678";
    for (let i = 0; i < h.config.pins.freeAttempts; i++) await expect(h.service.pickup(phone, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    const hashesSoFar = verify.mock.calls.length;
    expect(hashesSoFar).toBe(h.config.pins.freeAttempts); // one (dummy) hash per attempt: unknown phone costs the same
    for (let i = 0; i < 500; i++) await expect(h.service.pickup(phone, "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_Throttled });
    expect(verify.mock.calls.length).toBe(hashesSoFar);
  });
});
