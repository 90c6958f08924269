/**
 * Must-show 1 (second half) with the real daemon process: `lockerd` (built,
 * from dist/) connected to an external broker is killed with SIGKILL; the
 * broker then holds `status` = offline, retained (the last will). Against
 * aedes in the test process and a real Mosquitto.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import { bothBrokers, type TestBroker } from "./helpers/brokers.js";
import { subscribe } from "./helpers/subscriber.js";

const v = mqttValidators();
const main = fileURLToPath(new URL("../../dist/lockerd/main.js", import.meta.url));
const brokers = bothBrokers();

/** The retained status a staff client gets when it connects, polled with fresh subscribers until it reads `state`. */
async function retained(broker: TestBroker, topic: string, state: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const sub = await subscribe(broker.url, topic, broker.protocolVersion);
    try {
      const got = await sub.waitFor((m) => m.some((x) => x.retain && JSON.parse(x.payload).state === state), 2_000);
      return JSON.parse(got.filter((x) => x.retain).at(-1)!.payload);
    } catch (err) {
      if (Date.now() > until) throw err;
    } finally {
      await sub.close();
    }
  }
}

describe.each(brokers)("lockerd SIGKILLed while connected to %s", (_name, startBroker, available) => {
  let broker: TestBroker | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await broker?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    broker = dir = undefined;
  });

  it.runIf(available)("leaves status = offline, retained", { timeout: 90_000 }, async () => {
    if (!fs.existsSync(main)) throw new Error("dist/lockerd/main.js is missing: run `npm run build` first (this test runs the built daemon)");
    broker = await startBroker();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-kill-"));
    const lockerId = `kill-${process.pid}`;
    const config = {
      lockerId,
      dataDir: dir,
      http: { host: "127.0.0.1", port: 0, kioskPort: 0, adminSocket: path.join(dir, "admin.sock") },
      mqtt: { url: broker.url, protocolVersion: broker.protocolVersion },
      simulator: { controlPort: 0 },
      pins: { scryptCost: 1024 },
      log: { level: "warn", pretty: false },
    };
    const file = path.join(dir, "config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOCKERD_")));
    const proc = spawn(process.execPath, [main, "--config", file, "--json-logs"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const online = await retained(broker, `lockers/${lockerId}/status`, "online").catch((e: Error) => {
        throw new Error(`${e.message}\nlockerd stderr:\n${stderr}`);
      });
      expect(v.status(online), v.errorsText(v.status)).toBe(true);
      expect(online).toMatchObject({ state: "online", lockerId });
      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));
      const offline = await retained(broker, `lockers/${lockerId}/status`, "offline");
      expect(v.status(offline), v.errorsText(v.status)).toBe(true);
      expect(offline).toMatchObject({ state: "offline", lockerId, version: online.version, reason: "connection lost" });
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  });
});
