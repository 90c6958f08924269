/**
 * Issue 9, item 4: the kiosk keeps its event stream open all day. SIGTERM must
 * end that stream first and stop the daemon well inside systemd's stop timeout
 * (goal < 5 s), publishing the retained `offline` status on the way out
 * (not the last will a SIGKILL would leave).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAedes, type TestBroker } from "../mqtt/helpers/brokers.js";
import { subscribe } from "../mqtt/helpers/subscriber.js";
import { requireBuild, startLockerd, type LockerdProcess } from "../e2e/support/processes.js";

const root = path.resolve(import.meta.dirname, "..", "..");
let dir: string;
let broker: TestBroker;
let daemon: LockerdProcess | undefined;

beforeAll(async () => {
  requireBuild();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-sigterm-"));
  broker = await startAedes();
});
afterAll(async () => {
  await daemon?.stop("SIGKILL");
  await broker?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Open /kiosk/events as the kiosk browser does; resolves once the first bytes arrived. */
function openStream(url: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/kiosk/events`, { headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: HTTP ${res.statusCode}`));
      const ended = new Promise<void>((r) => {
        res.once("end", r);
        res.once("close", r);
      });
      res.once("data", () => resolve({ ended }));
      res.resume();
    });
    req.once("error", reject);
  });
}

describe("SIGTERM with the kiosk's event stream open", () => {
  it("ends the stream, publishes offline and exits 0 within 5 s", { timeout: 60_000 }, async () => {
    const lockerId = `sigterm-${process.pid}`;
    const configFile = path.join(dir, "config.json");
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        lockerId,
        dataDir: "./data",
        bus: { transport: "sim" },
        simulator: { controlPort: 0 },
        http: { host: "127.0.0.1", port: 0 },
        mqtt: { url: broker.url, protocolVersion: 4 },
        pins: { scryptCost: 1024 },
      }),
    );
    daemon = await startLockerd(configFile);
    const status = await subscribe(broker.url, `lockers/${lockerId}/status`, 4);
    await status.waitFor((m) => m.some((x) => JSON.parse(x.payload).state === "online"));
    const stream = await openStream(daemon.url);
    const streamEnded = stream.ended.then(() => performance.now());

    const t0 = performance.now();
    const code = await daemon.stop("SIGTERM");
    const stoppedMs = performance.now() - t0;

    expect(code).toBe(0);
    expect(stoppedMs, `stopped after ${Math.round(stoppedMs)} ms`).toBeLessThan(5_000);
    expect((await streamEnded) - t0).toBeLessThan(stoppedMs);
    const got = await status.waitFor((m) => m.some((x) => JSON.parse(x.payload).state === "offline"), 5_000);
    expect(JSON.parse(got.at(-1)!.payload)).toMatchObject({ state: "offline", reason: "stopped" });
    await status.close();
    console.log(`SIGTERM with a kiosk stream open: exit 0 after ${Math.round(stoppedMs)} ms`);
  });

  it("the systemd unit's stop timeout leaves room for that stop but not for a hang", () => {
    const unit = fs.readFileSync(path.join(root, "config", "systemd", "lockerd.service"), "utf8");
    const stop = Number(unit.match(/^TimeoutStopSec=(\d+)$/m)?.[1]);
    expect(stop).toBeGreaterThanOrEqual(10);
    expect(stop).toBeLessThanOrEqual(15);
  });
});
