/**
 * The built lockerctl against a real broker: `mqtt-check` prints the latency
 * and exits 0 (1 when the broker is unreachable); `sign` prints a command the
 * running MQTT service accepts; `watch --url` prints events as they come.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startAedes, type TestBroker } from "./helpers/brokers.js";
import { type ServiceRig, startService } from "../support/harness.js";
import { subscribe } from "./helpers/subscriber.js";

const cli = fileURLToPath(new URL("../../dist/src/cli/lockerctl.js", import.meta.url));

function lockerctl(args: string[], opts: { until?: (stdout: string) => boolean; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOCKERD_")));
    const p = spawn(process.execPath, [cli, ...args], { env: { ...env, LOCKERD_ADMIN_SOCKET: "/nonexistent/admin.sock" } });
    let stdout = "";
    let stderr = "";
    const t = setTimeout(() => (p.kill("SIGKILL"), reject(new Error(`lockerctl ${args.join(" ")} did not finish; stdout: ${stdout} stderr: ${stderr}`))), opts.timeoutMs ?? 30_000);
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("exit", (code) => (clearTimeout(t), resolve({ code, stdout, stderr })));
  });
}

describe("lockerctl mqtt-check, sign, watch", () => {
  let broker: TestBroker;
  let rig: ServiceRig;
  beforeAll(async () => {
    if (!fs.existsSync(cli)) throw new Error("dist/ is missing: run `npm run build` first (this test runs the built lockerctl)");
    broker = await startAedes();
    rig = await startService(broker);
  });
  afterAll(async () => {
    await rig?.close();
    await broker?.destroy();
  });

  it("mqtt-check round-trips through the broker and prints the latency", async () => {
    const r = await lockerctl(["mqtt-check", "--url", broker.url, "--protocol", "4", "--count", "5"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/MQTT ok: mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toMatch(/5 round trip\(s\).*median [\d.]+ ms/);
    const j = await lockerctl(["--json", "mqtt-check", "--url", broker.url, "--protocol", "4"]);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, roundTrips: 3 });
  });

  it("mqtt-check exits 1 with the reason when the broker is unreachable", async () => {
    const port = await freePort();
    const r = await lockerctl(["mqtt-check", "--url", `mqtt://127.0.0.1:${port}`, "--timeout", "2000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MQTT check FAILED: cannot connect to mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it("sign prints a command the locker accepts, and the canonical text", async () => {
    const secretFile = path.join(rig.config.dataDir, "mqtt-command-secret");
    const r = await lockerctl(["--json", "sign", "open", "--compartment", "2", "--reason", "collect A01", "--secret-file", secretFile, "--locker-id", rig.config.lockerId]);
    expect(r.code, r.stderr).toBe(0);
    const { topic, payload, canonical } = JSON.parse(r.stdout);
    expect(topic).toBe(`${rig.base}/cmd/open`);
    expect(canonical.split("\n")).toEqual(["lockerd-cmd-v1", rig.config.lockerId, "open", payload.id, String(payload.ts), "2", "collect A01"]);
    const results = await subscribe(broker.url, `${rig.base}/cmd-result`, 4);
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    try {
      await pub.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
      const got = await results.waitFor((m) => m.length > 0);
      expect(JSON.parse(got[0]!.payload)).toMatchObject({ id: payload.id, status: "ok" });
      expect(rig.locker.calls.some((c) => c.method === "staffOpen" && c.args[0] === 2)).toBe(true);
    } finally {
      await pub.endAsync();
      await results.close();
    }
    const bad = await lockerctl(["sign", "open", "--secret-file", secretFile, "--locker-id", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("open needs --compartment");
  });

  it("watch --url prints each event on one line", async () => {
    const watching = lockerctl(["watch", "--url", broker.url, "--filter", `${rig.base}/events/#`, "--count", "1"]);
    // watch has no "subscribed" signal on stdout; keep appending until it has printed one.
    const deadline = Date.now() + 20_000;
    let done = false;
    void watching.then(() => (done = true));
    while (!done && Date.now() < deadline) {
      rig.outbox.append({ type: "dropoff", caseId: "c9", caseNumber: "B09", compartment: 3, matter: "other", phone: "138****5678", lockerId: rig.config.lockerId });
      await new Promise((r) => setTimeout(r, 300));
    }
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DROPOFF {2}door 3 {2}case B09 {2}other {2}138\*{4}5678/);
  });
});
