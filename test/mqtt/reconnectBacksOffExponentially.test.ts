/**
 * While the broker is unreachable the locker retries with exponential
 * backoff (reconnectPeriodMs doubling up to reconnectMaxMs), not a fixed
 * hammering period. A TCP listener that accepts and drops every connection
 * stands in for a broker that is down; it timestamps each attempt.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ServiceRig, startService } from "../support/harness.js";

describe("reconnect backoff", () => {
  let server: net.Server | undefined;
  let rig: ServiceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rig = server = undefined;
  });

  it("doubles the wait between attempts up to the cap", { timeout: 30_000 }, async () => {
    const attempts: number[] = [];
    server = net.createServer((s) => {
      attempts.push(performance.now());
      s.destroy();
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as net.AddressInfo).port;
    rig = await startService({ url: `mqtt://127.0.0.1:${port}`, protocolVersion: 4 }, { connect: false, mqtt: { reconnectPeriodMs: 100, reconnectMaxMs: 800 } });
    await expect.poll(() => attempts.length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(7);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // ~100, 200, 400, 800, 800, 800. A loaded CPU only lengthens gaps, so the lower bounds are
    // what proves the doubling (a fixed period would give ~100 each); the cap bound is generous.
    expect(gaps[1]!).toBeGreaterThanOrEqual(170);
    expect(gaps[2]!).toBeGreaterThanOrEqual(340);
    for (const g of gaps.slice(3)) {
      expect(g).toBeGreaterThanOrEqual(680);
      expect(g).toBeLessThan(3000);
    }
    expect(rig.svc.status().connected).toBe(false);
  });
});
