/**
 * mqtts:// with a CA, a client certificate and key, plus username/password,
 * against a real Mosquitto that requires all of them: the locker connects and
 * publishes its status; with the wrong password it stays offline and keeps
 * retrying, events waiting in the outbox.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { startService } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const available = mosquittoAvailable() && requireTool(["openssl", "mosquitto_passwd"], "the TLS and credentials tests");
if (!available) {
  if (process.env.CI) throw new Error("openssl and mosquitto_passwd are needed for the TLS test in CI");
  console.warn("TLS test skipped: needs mosquitto, openssl and mosquitto_passwd");
}

function makePki(dir: string): void {
  const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ossl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=lockerd-test-ca");
  for (const [name, cn, ext] of [
    ["server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    ["client", "test-locker", "extendedKeyUsage=clientAuth"],
  ] as const) {
    ossl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext + "\n");
    ossl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
  }
  execFileSync("mosquitto_passwd", ["-b", "-c", path.join(dir, "passwd"), "locker", "s3cret-pass"], { stdio: "pipe" });
}

describe.runIf(available)("TLS and credentials", () => {
  let broker: TestBroker;
  let pki: string;
  beforeAll(async () => {
    broker = await startMosquitto({
      scheme: "mqtts",
      host: "localhost",
      listener: (dir) => {
        makePki(dir);
        pki = dir;
        return [
          `cafile ${dir}/ca.crt`,
          `certfile ${dir}/server.crt`,
          `keyfile ${dir}/server.key`,
          "require_certificate true",
          "allow_anonymous false",
          `password_file ${dir}/passwd`,
        ];
      },
    });
  });
  afterAll(async () => broker?.destroy());

  const tls = () => ({ caFile: `${pki}/ca.crt`, certFile: `${pki}/client.crt`, keyFile: `${pki}/client.key` });

  it("connects over mqtts:// with CA, client certificate and password, and publishes online", async () => {
    const rig = await startService(broker, { mqtt: { ...tls(), username: "locker", password: "s3cret-pass" } });
    try {
      expect(rig.svc.status()).toMatchObject({ connected: true, url: broker.url });
      const staff = await mqtt.connectAsync(broker.url, {
        ca: fs.readFileSync(`${pki}/ca.crt`),
        cert: fs.readFileSync(`${pki}/client.crt`),
        key: fs.readFileSync(`${pki}/client.key`),
        username: "locker",
        password: "s3cret-pass",
      });
      try {
        const got = new Promise<string>((resolve) => staff.on("message", (_t, p) => resolve(p.toString())));
        await staff.subscribeAsync(`${rig.base}/status`);
        expect(JSON.parse(await got)).toMatchObject({ state: "online" });
      } finally {
        await staff.endAsync();
      }
    } finally {
      await rig.close();
    }
  });

  it("with unknown credentials stays offline (events wait, no password in status), and connects by itself once the broker accepts them", { timeout: 60_000 }, async () => {
    const rig = await startService(broker, { connect: false, mqtt: { ...tls(), username: "late", password: "late-pass", reconnectPeriodMs: 200, reconnectMaxMs: 1000 } });
    try {
      rig.outbox.append({ type: "dropoff", caseId: "c1", caseNumber: "A01", lockerId: rig.config.lockerId });
      await new Promise((r) => setTimeout(r, 1500));
      expect(rig.svc.status()).toMatchObject({ connected: false, outboxDepth: 1 });
      expect(JSON.stringify(rig.svc.status())).not.toContain("late-pass");
      execFileSync("mosquitto_passwd", ["-b", path.join(pki, "passwd"), "late", "late-pass"], { stdio: "pipe" });
      broker.reload!();
      await rig.svc.whenConnected(30_000);
      await expect.poll(() => rig.svc.status().outboxDepth, { timeout: 10_000 }).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
