import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { countWeakPins, hashPin, pinWeaknessMessage, verifyPin } from "../../src/locker/pins.js";
import { caseMustFreeze, phoneLockoutMs } from "../../src/locker/pinPolicy.js";

describe("PIN policy (PIN_POLICY.md)", () => {
  const pins = defaultConfig().pins;

  it("the per-case cap bounds the chance of guessing a PIN below 1 in 10,000", () => {
    const acceptable = 1_000_000 - countWeakPins("13812345678");
    expect(acceptable).toBe(998_881);
    const p = pins.freezeAfterFailures / acceptable;
    expect(p).toBeLessThan(1 / 10_000);
    expect(caseMustFreeze(pins.freezeAfterFailures, pins)).toBe(true);
    expect(caseMustFreeze(pins.freezeAfterFailures - 1, pins)).toBe(false);
  });

  it("lockouts start after the free attempts, double, and are capped", () => {
    const seq = Array.from({ length: 12 }, (_, i) => phoneLockoutMs(i + 1, pins));
    expect(seq.slice(0, pins.freeAttempts - 1)).toEqual([0, 0]);
    expect(seq.slice(2, 9)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    expect(seq.at(-1)).toBe(pins.maxLockoutMs);
  });

  it.each([
    ["000000", /repeated/],
    ["123456", /run/],
    ["890123", /run/],
    ["654321", /run/],
    ["109876", /run/],
    ["112233", /common/],
    ["345678", /run/],
    ["12345", /6 digits/],
    ["12a456", /6 digits/],
  ])("%s is refused", (pin, why) => {
    expect(pinWeaknessMessage(pin, "13900000000")).toMatch(why);
  });

  it("the phone's last six digits are refused; an ordinary PIN is accepted", () => {
    expect(pinWeaknessMessage("945821", "13812945821")).toMatch(/last six digits/);
    expect(pinWeaknessMessage("730241", "13812945821")).toBeUndefined();
  });

  it("hashes are salted and verify only the right PIN", async () => {
    const a = await hashPin("730241", 1024);
    const b = await hashPin("730241", 1024);
    expect(a).not.toBe(b);
    expect(a).not.toContain("730241");
    expect(await verifyPin("730241", a)).toBe(true);
    expect(await verifyPin("730242", a)).toBe(false);
    expect(await verifyPin("730241", "garbage")).toBe(false);
  });
});
