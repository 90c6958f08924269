/**
 * The PIN-hash budget: the locker's own screen goes ahead of every network
 * check (it waits only for the hash already running), new PINs before
 * guesses, network clients round-robin, and a full network queue refuses at
 * once with Locker_Busy (no hash spent).
 */
import { describe, expect, it } from "vitest";
import { HashBudget } from "../../src/util/HashBudget.js";
import { ErrorCode, isLockerError } from "../../src/errors/LockerError.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("HashBudget", () => {
  it("runs the screen next, then setup, then network clients in turn; refuses past the network bound", async () => {
    const b = new HashBudget(5);
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await tick();
      return name;
    };
    const all: Promise<unknown>[] = [];
    all.push(b.run("network", "a", job("a1")));
    for (const n of ["a2", "a3", "a4"]) all.push(b.run("network", "a", job(n)));
    all.push(b.run("network", "b", job("b1")));
    all.push(b.run("network", "c", job("c1")));
    const refused = b.run("network", "d", job("d1")).catch((e) => e);
    all.push(b.run("setup", "x", job("setup")));
    all.push(b.run("screen", "kiosk", job("screen")));
    await Promise.all(all);
    // a1 was already running; then the screen, the new PIN, and the network clients taking turns.
    expect(order).toEqual(["a1", "screen", "setup", "a2", "b1", "c1", "a3", "a4"]);
    const e = await refused;
    expect(isLockerError(e, ErrorCode.Locker_Busy)).toBe(true);
    expect(b.stats().refusedBusy).toBe(1);
  });

  it("passes a failing job's error to its caller and keeps going", async () => {
    const b = new HashBudget();
    const bad = b.run("network", "a", async () => {
      throw new Error("boom");
    });
    const good = b.run("network", "b", async () => 42);
    await expect(bad).rejects.toThrow("boom");
    await expect(good).resolves.toBe(42);
  });
});

describe("HashBudget network rate", () => {
  it("gives network checks at most networkPerSecond hashes a second; the screen needs no token and goes next", async () => {
    const b = new HashBudget(100, 10);
    const order: string[] = [];
    const t0 = performance.now();
    const net = Array.from({ length: 20 }, (_, i) => b.run("network", `c${i}`, async () => void order.push(`n${i}`)));
    // Queued after the bucket ran dry: still served before the waiting network checks.
    await new Promise((r) => setTimeout(r, 20));
    const screen = b.run("screen", "kiosk", async () => void order.push("screen"));
    await Promise.all([...net, screen]);
    // 10 from the full bucket at once, then 10 more at 10/s: about a second (a loaded machine only adds).
    expect(performance.now() - t0).toBeGreaterThan(800);
    expect(order.indexOf("screen")).toBeLessThanOrEqual(11);
    expect(order.indexOf("screen")).toBeLessThan(order.indexOf("n19"));
  });
});

describe("HashBudget network time share", () => {
  it("charges each network hash what it took, so slow hashes (a loaded machine) hold the thread at most networkShare of the time; the screen does not wait for the debt", async () => {
    // 100 network checks a second allowed by count: only the time share limits here.
    const b = new HashBudget(100, 100, 0.2);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const starts: Array<[string, number]> = [];
    const t0 = performance.now();
    const slow = (name: string) => async () => {
      starts.push([name, performance.now() - t0]);
      await sleep(100); // a hash that takes 100 ms, as on a busy machine
    };
    const net = Array.from({ length: 6 }, (_, i) => b.run("network", `c${i}`, slow(`n${i}`)));
    // By 250 ms the third network hash runs (the 200 ms burst and 20 ms a hash of refill are nearly spent).
    await sleep(250);
    const screenAsked = performance.now() - t0;
    await b.run("screen", "kiosk", slow("screen"));
    const screenStart = starts.find(([n]) => n === "screen")![1];
    await Promise.all(net);
    const total = performance.now() - t0;
    // The screen waited for no debt (at most for a hash already running).
    expect(screenStart - screenAsked).toBeLessThan(120);
    // The last network hash may start only once the first five (500 ms) are paid for: (500 − 200 burst) / 0.2 = 1500 ms.
    expect(starts.find(([n]) => n === "n5")![1]).toBeGreaterThan(1450);
    expect(total).toBeGreaterThan(1550);
    // Past the burst each hash waits off its debt: 100 ms charged, 20 ms refilled meanwhile, 80 ms / 0.2 = 400 ms of rest.
    expect(starts.find(([n]) => n === "n5")![1] - starts.find(([n]) => n === "n4")![1]).toBeGreaterThan(450);
    expect(b.stats().networkHashed).toBe(6);
    expect(b.stats().networkHashMs).toBeGreaterThanOrEqual(600);
    // What /metrics shows of it (lockerd_pin_hash_screen_*).
    expect(b.stats().screenChecks).toBe(1);
    expect(b.stats().screenWaitMaxMs).toBeLessThan(120);
  });

  it("refuses a share outside (0, 1]", () => {
    expect(() => new HashBudget(16, 8, 0)).toThrow(RangeError);
    expect(() => new HashBudget(16, 8, 1.5)).toThrow(RangeError);
  });
});
