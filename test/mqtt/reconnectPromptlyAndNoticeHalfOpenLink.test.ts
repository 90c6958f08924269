/**
 * Issue 9, item 9: after a broker outage the locker is back within the
 * (lower) backoff cap of the broker's return; a network change retries at
 * once; a half-open link (packets silently dropped, no FIN/RST) is noticed
 * within 15 s through the keepalive. aedes in-process behind a TCP proxy that
 * can freeze the link.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { startAedes, type TestBroker } from "./helpers/brokers.js";
import { startService, type ServiceRig } from "./helpers/service.js";

let broker: TestBroker | undefined;
let rig: ServiceRig | undefined;
let proxy: net.Server | undefined;
afterEach(async () => {
  await rig?.close();
  await broker?.destroy();
  proxy?.close();
  rig = broker = proxy = undefined;
});

async function until(pred: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - t0;
}

/** A proxy to `port` whose links can be frozen: bytes stop flowing both ways, nothing is closed. */
async function freezableProxy(port: number) {
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    client.on("data", (d) => !frozen && upstream.write(d));
    upstream.on("data", (d) => !frozen && client.write(d));
    const close = () => (client.destroy(), upstream.destroy());
    client.on("error", close).on("close", () => !frozen && close());
    upstream.on("error", close).on("close", () => !frozen && close());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, port: (server.address() as net.AddressInfo).port, freeze: () => (frozen = true) };
}

describe("MQTT link health", () => {
  it("the default backoff cap is a few seconds, not 30", () => {
    expect(defaultConfig().mqtt.reconnectMaxMs).toBeLessThanOrEqual(5_000);
  });

  it("notices a half-open link within 15 s (keepalive)", { timeout: 60_000 }, async () => {
    broker = await startAedes();
    const p = await freezableProxy(broker.port);
    proxy = p.server;
    rig = await startService({ url: `mqtt://127.0.0.1:${p.port}`, protocolVersion: 4 }, { mqtt: { reconnectPeriodMs: 60_000, reconnectMaxMs: 60_000 } });
    expect(rig.svc.status().connected).toBe(true);
    p.freeze();
    const ms = await until(() => !rig!.svc.status().connected, 20_000);
    console.log(`half-open link noticed after ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(15_000);
  });

  it("is back within the cap (+1 s) of the broker's return after a 12 s outage", { timeout: 60_000 }, async () => {
    broker = await startAedes();
    const d = defaultConfig().mqtt;
    rig = await startService(broker, { mqtt: { reconnectPeriodMs: d.reconnectPeriodMs, reconnectMaxMs: d.reconnectMaxMs } });
    await broker.stop();
    await until(() => !rig!.svc.status().connected, 5_000);
    await new Promise((r) => setTimeout(r, 12_000));
    await broker.restart();
    const ms = await until(() => rig!.svc.status().connected, 20_000);
    console.log(`reconnected ${Math.round(ms)} ms after the broker came back (cap ${d.reconnectMaxMs} ms)`);
    expect(ms).toBeLessThan(d.reconnectMaxMs + 1_000);
  });

  it("a network change retries at once instead of waiting out the backoff", { timeout: 60_000 }, async () => {
    broker = await startAedes();
    rig = await startService(broker, { mqtt: { reconnectPeriodMs: 30_000, reconnectMaxMs: 60_000 } });
    await broker.stop();
    await until(() => !rig!.svc.status().connected, 5_000);
    await broker.restart();
    rig.svc.networkChanged();
    const ms = await until(() => rig!.svc.status().connected, 10_000);
    console.log(`reconnected ${Math.round(ms)} ms after the network change (backoff would wait 30 s+)`);
    expect(ms).toBeLessThan(3_000);
  });
});
