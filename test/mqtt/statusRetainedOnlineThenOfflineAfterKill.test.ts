/**
 * `status` is retained: online with the version while the locker runs,
 * offline (the last will) after the process is SIGKILLed, and offline with
 * reason "stopped" after a clean stop. Against aedes and a real Mosquitto.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import { bothBrokers, type TestBroker } from "./helpers/brokers.js";
import { tempStore } from "./helpers/fakes.js";
import { startService } from "../support/harness.js";
import { subscribe } from "./helpers/subscriber.js";

const v = mqttValidators();
const child = fileURLToPath(new URL("./fixtures/mqttChild.mjs", import.meta.url));
const built = fileURLToPath(new URL("../../dist/src/mqtt/MqttService.js", import.meta.url));
const brokers = bothBrokers();

/** Read the retained status with a fresh subscriber (what a staff client sees when it connects). */
async function retainedStatus(broker: TestBroker, base: string, want: string) {
  const sub = await subscribe(broker.url, `${base}/status`, broker.protocolVersion);
  try {
    const got = await sub.waitFor((m) => m.some((x) => x.retain && JSON.parse(x.payload).state === want), 20_000);
    const last = got.filter((x) => x.retain).at(-1)!;
    const payload = JSON.parse(last.payload);
    expect(v.status(payload), v.errorsText(v.status)).toBe(true);
    return payload;
  } finally {
    await sub.close();
  }
}

describe.each(brokers)("status on %s", (_name, startBroker, available) => {
  let broker: TestBroker | undefined;
  afterEach(async () => {
    await broker?.destroy();
    broker = undefined;
  });
  beforeAll(() => {
    if (!fs.existsSync(built)) throw new Error("dist/ is missing: run `npm run build` first (the child process runs built code)");
  });

  it.runIf(available)("is online (retained, with version) while running and offline (retained last will) after SIGKILL", async () => {
    broker = await startBroker();
    const store = tempStore();
    const lockerId = `kill-${process.pid}-${Date.now() % 100000}`;
    const proc = spawn(process.execPath, [child], {
      env: { ...process.env, LOCKER_ID: lockerId, DATA_DIR: store.dir, MQTT_URL: broker.url, MQTT_PROTOCOL: String(broker.protocolVersion) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("child did not report ready within 20 s")), 20_000);
        proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && (clearTimeout(t), resolve()));
        proc.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
      });
      const online = await retainedStatus(broker, `lockers/${lockerId}`, "online");
      expect(online).toMatchObject({ state: "online", lockerId, version: "9.9.9-child" });

      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));
      const offline = await retainedStatus(broker, `lockers/${lockerId}`, "offline");
      expect(offline).toMatchObject({ state: "offline", lockerId, version: "9.9.9-child", reason: "connection lost" });
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      store.close();
    }
  });

  it.runIf(available)('is offline with reason "stopped" after a clean stop', async () => {
    broker = await startBroker();
    const rig = await startService(broker);
    expect((await retainedStatus(broker, rig.base, "online")).version).toBe("0.1.0-test");
    await rig.close();
    expect(await retainedStatus(broker, rig.base, "offline")).toMatchObject({ state: "offline", reason: "stopped" });
  });
});
