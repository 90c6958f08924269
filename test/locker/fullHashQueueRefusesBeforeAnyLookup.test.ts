/**
 * When a flood has filled the network PIN-hash queue, a further network
 * pickup is refused at once with Locker_Busy: no case lookup, no hash, not
 * counted as a wrong PIN. The locker's own screen is never refused so.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import * as pins from "../../src/locker/pins.js";
import { NETWORK_HASH_QUEUE, pinHasher } from "../../src/locker/PinHasher.js";
import { CaseRepo } from "../../src/store/CaseRepo.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

vi.mock("../../src/locker/pins.js", async (importOriginal) => {
  const orig = await importOriginal<typeof import("../../src/locker/pins.js")>();
  return { ...orig, verifyPin: vi.fn(orig.verifyPin) };
});

let h: CoreHarness | undefined;
afterAll(() => h?.close());

describe("a full network hash queue", () => {
  it("refuses a network pickup before any lookup or hash, and still serves the screen", async () => {
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock: new ManualClock(Date.now()) });
    await h.service.start();
    const budget = pinHasher.budget;
    // The hash thread busy (a new PIN being hashed) and the network queue full of a flood's guesses.
    let release!: () => void;
    const running = budget.run("setup", "", () => new Promise<void>((r) => (release = r)));
    const flood = Array.from({ length: NETWORK_HASH_QUEUE }, (_, i) => budget.run("network", `10.77.1.${i + 1}`, async () => {}));
    const lookups = vi.spyOn(CaseRepo.prototype, "collectableByPhone");
    const hashes = vi.mocked(pins.verifyPin);
    const busyBefore = budget.stats().refusedBusy;

    await expect(h.service.pickup("13512345678", "730241", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_Busy });
    expect(lookups).not.toHaveBeenCalled();
    expect(hashes).not.toHaveBeenCalled();
    expect(budget.stats().refusedBusy).toBe(busyBefore + 1);

    // The screen's check goes ahead of the whole queue once the running hash ends.
    const screen = h.service.pickup("13512345678", "730241", { ...RESIDENT, screen: true });
    release();
    await expect(screen).rejects.toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    expect(lookups).toHaveBeenCalledTimes(1);
    await Promise.all([running, ...flood]);
    // The busy refusal was not a wrong PIN: only the screen's attempt was audited as one.
    const wrongPins = (h.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'pickup' AND outcome = 'refused'").get() as { n: number }).n;
    expect(wrongPins).toBe(1);
  });
});
