/**
 * Issue 12, must-show 3: a mini-program backend drives the whole resident
 * story over MQTT on a real Mosquitto with the reference client
 * (scripts/backOfficeClient.ts, run as its own process): drop-off with the
 * link the resident scanned → the case is ready (staff work at the centre,
 * `events/ready` tells the backend) → pickup with the link scanned at the
 * locker. Every answer is validated against its contract schema. Replayed,
 * stale, unsigned, retained and mis-addressed requests are refused, each
 * with exactly one answer and an audit row, and open no door.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/daemon/nodeFlags.js";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import type { CommandResult } from "../../src/mqtt/topics.js";
import { signedRequest, sendRequest, type Target } from "../../scripts/backOfficeClient.js";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "../mqtt/helpers/brokers.js";
import { staffCollect, STAFF, unlockFrames } from "../mqtt/helpers/daemonDriving.js";
import { subscribe, type Listener } from "../mqtt/helpers/subscriber.js";

const run = promisify(execFile);
const CLIENT = path.resolve("dist/scripts/backOfficeClient.js");
const v = mqttValidators();
const PHONE = "13912340003";
const PIN = "730519";

function valid(r: CommandResult): CommandResult {
  expect(v["backoffice-result"](r), `${JSON.stringify(r)}\n${v.errorsText(v["backoffice-result"])}`).toBe(true);
  expect(v["cmd-result"](r), `${JSON.stringify(r)}\n${v.errorsText(v["cmd-result"])}`).toBe(true);
  return r;
}

describe.runIf(mosquittoAvailable())("the back-office API over MQTT, on a real Mosquitto", () => {
  let broker: TestBroker;
  let h: LockerHarness;
  let staffSees: Listener;
  let results: Listener;
  let target: Target;

  /** The reference client as a backend developer runs it. */
  async function client(...args: string[]): Promise<{ code: number; answer?: CommandResult; stderr: string }> {
    const common = ["--url", broker.url, "--locker", h.config.lockerId, "--secret-file", path.join(h.config.dataDir, "mqtt-command-secret"), "--mqtt-version", "5"];
    try {
      const r = await run(process.execPath, [...NODE_FLAGS, CLIENT, ...common, ...args], { timeout: 30_000 });
      return { code: 0, answer: valid(JSON.parse(r.stdout) as CommandResult), stderr: r.stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, ...(e.stdout ? { answer: valid(JSON.parse(e.stdout) as CommandResult) } : {}), stderr: e.stderr ?? "" };
    }
  }
  const scanKioskQr = async () => ((await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } }).qr.url;
  const doorOpenThenClose = async (n: number) => {
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "open", `door ${n} open`, 15_000);
    h.sim.board(1).closeDoor(n);
  };

  beforeAll(async () => {
    if (!fs.existsSync(CLIENT)) throw new Error(`${CLIENT} is missing: run npm run build first`);
    broker = await startMosquitto();
    h = await startLocker({ config: { mqtt: { url: broker.url, protocolVersion: 5 } } });
    await waitFor(() => h.daemon.mqtt.status().connected, "locker connected to Mosquitto", 20_000);
    staffSees = await subscribe(broker.url, `lockers/${h.config.lockerId}/events/#`, 5);
    // cmd-result/# also matches cmd-result itself.
    results = await subscribe(broker.url, `lockers/${h.config.lockerId}/cmd-result/#`, 5);
    target = {
      url: broker.url,
      lockerId: h.config.lockerId,
      prefix: "lockers",
      secret: fs.readFileSync(path.join(h.config.dataDir, "mqtt-command-secret"), "utf8").trim(),
      protocolVersion: 5,
      timeoutMs: 15_000,
    };
  }, 60_000);

  afterAll(async () => {
    await staffSees?.close();
    await results?.close();
    await h?.stop();
    await broker?.destroy();
  });

  it("drop-off → ready → pickup, driven only by the reference client; every answer matches its schema", { timeout: 120_000 }, async () => {
    // The resident scans the kiosk's QR with WeChat; the mini program hands the link to its backend.
    const link = await scanKioskQr();
    const drop = await client(
      "dropoff",
      "--q",
      link,
      "--scancode-time",
      String(Math.floor(Date.now() / 1000)),
      "--matter",
      "residence-permit",
      "--phone",
      PHONE,
      "--pin",
      PIN,
      "--pin-confirm",
      PIN,
      "--name",
      "张三",
      "--client",
      "openid-hash-1",
    );
    expect(drop.code, drop.stderr).toBe(0);
    expect(drop.answer).toMatchObject({ command: "dropoff", status: "ok", data: { compartment: expect.any(Number) } });
    const { caseId, compartment } = drop.answer!.data as { caseId: string; compartment: number };
    await doorOpenThenClose(compartment);
    await staffSees.waitFor((m) => m.some((x) => x.topic.endsWith("/events/dropoff") && JSON.parse(x.payload).caseId === caseId));

    const status1 = await client("case-status", "--case", caseId);
    expect(status1.answer).toMatchObject({ status: "ok", data: { id: caseId, state: "dropped_off", matter: "residence-permit" } });

    // Staff do the work at the centre; the backend learns of it from events/ready.
    await staffCollect(h, caseId);
    const back = await h.daemon.locker.staffReturn(caseId, STAFF);
    await doorOpenThenClose(back.compartment);
    await staffSees.waitFor((m) => m.some((x) => x.topic.endsWith("/events/ready") && JSON.parse(x.payload).caseId === caseId), 20_000);
    expect((await client("case-status", "--case", caseId)).answer).toMatchObject({ status: "ok", data: { state: "ready", compartment: back.compartment } });

    // Back at the locker, the resident scans its QR again and types phone + PIN in the mini program.
    const here = await scanKioskQr();
    const pickup = await client("pickup", "--q", here, "--phone", PHONE, "--pin", PIN, "--client", "openid-hash-1");
    expect(pickup.code, pickup.stderr).toBe(0);
    expect(pickup.answer).toMatchObject({ command: "pickup", status: "ok", data: { opened: [{ compartment: back.compartment, caseId }] } });
    await doorOpenThenClose(back.compartment);
    await staffSees.waitFor((m) => m.some((x) => x.topic.endsWith("/events/collected") && JSON.parse(x.payload).caseId === caseId), 20_000);
    expect((await client("case-status", "--case", caseId)).answer).toMatchObject({ status: "ok", data: { state: "collected" } });

    // The audit trail says the drop-off and the pickup came through the back office, and from which client.
    const audit = h.daemon.locker.audit({ caseId, limit: 100 });
    expect(audit.find((a) => a.action === "dropoff-start")).toMatchObject({ via: "backoffice", outcome: "ok" });
    expect(audit.filter((a) => a.action === "pickup" || a.action.startsWith("pickup")).some((a) => a.via === "backoffice")).toBe(true);

    // A wrong PIN is answered like the web page answers it (Chinese first, the code to map), and opens nothing.
    const wrong = await client("pickup", "--q", await scanKioskQr(), "--phone", PHONE, "--pin", "111119");
    expect(wrong.code).toBe(1);
    expect(wrong.answer).toMatchObject({ status: "refused", code: 310, reason: "Locker_PickupRefused" });
    expect(wrong.answer!.message).toMatch(/手机号或密码不对/);

    // A link that is no proof of presence (already used, here by the drop-off) opens nothing and costs no PIN attempt.
    const away = await client("pickup", "--q", link, "--phone", PHONE, "--pin", PIN);
    expect(away.answer).toMatchObject({ status: "refused", code: 330, reason: "Locker_PresenceRequired" });
    expect(away.answer!.message).toMatch(/扫描柜子屏幕上的二维码/);
  });

  it("replayed, stale, unsigned, retained and mis-addressed requests are refused once each, audited, and open no door", { timeout: 60_000 }, async () => {
    const frames = unlockFrames(h);
    const link = await scanKioskQr();
    const args = { q: link, matter: "residence-permit", phone: "13912340004", pin: "730519", consent: true };
    const refused = async (payload: Parameters<typeof sendRequest>[2], reason: string, verb = "dropoff") => {
      const r = valid(await sendRequest(target, verb, payload));
      expect(r, reason).toMatchObject({ status: "refused", reason });
      expect(r.message).toBeTruthy();
      return r;
    };

    // Replay: a request that was answered once is never run again.
    const once = signedRequest(target, "case-status", { caseId: "no-such-case" });
    expect(valid(await sendRequest(target, "case-status", once))).toMatchObject({ status: "refused", reason: "Locker_CaseNotFound", code: 301 });
    await refused(once, "replayed-id", "case-status");
    // Stale: signed an hour ago.
    await refused(signedRequest(target, "dropoff", args, { ts: Math.floor(Date.now() / 1000) - 3600 }), "stale-timestamp");
    // Unsigned, or signed with another key, or re-aimed at another verb.
    const { sig: _drop, ...unsigned } = signedRequest(target, "dropoff", args);
    await refused(JSON.stringify(unsigned), "malformed");
    await refused(signedRequest({ ...target, secret: "not-this-lockers-secret-0000000000" }, "dropoff", args), "bad-signature");
    await refused(signedRequest(target, "case-status", args), "bad-signature");
    // Tampered args: the signature covers every field.
    const good = signedRequest(target, "dropoff", args);
    await refused({ ...good, args: { ...args, phone: "13912349999" } }, "bad-signature");

    // Retained: refused (it would replay on every reconnect); the retained copy is cleared.
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const plain = await subscribe(broker.url, `lockers/${h.config.lockerId}/cmd-result`, 5);
    try {
      const retained = signedRequest(target, "dropoff", args);
      await pub.publishAsync(`lockers/${h.config.lockerId}/cmd/dropoff`, JSON.stringify(retained), { qos: 1, retain: true });
      await pub.publishAsync(`lockers/${h.config.lockerId}/cmd/dropoff`, "", { qos: 1, retain: true });
      // A response topic outside this locker's cmd-result is refused, answered on cmd-result itself.
      const elsewhere = signedRequest(target, "dropoff", args);
      await pub.publishAsync(`lockers/${h.config.lockerId}/cmd/dropoff`, JSON.stringify(elsewhere), {
        qos: 1,
        properties: { responseTopic: `lockers/other-locker/cmd/open`, correlationData: Buffer.from("c-1") },
      });
      const got = await plain.waitFor((m) => m.some((x) => JSON.parse(x.payload).id === retained.id) && m.some((x) => JSON.parse(x.payload).id === elsewhere.id), 15_000);
      expect(valid(JSON.parse(got.find((x) => JSON.parse(x.payload).id === retained.id)!.payload))).toMatchObject({ status: "refused", reason: "retained" });
      expect(valid(JSON.parse(got.find((x) => JSON.parse(x.payload).id === elsewhere.id)!.payload))).toMatchObject({ status: "refused", reason: "bad-response-topic" });
      // Exactly one answer each.
      await new Promise((r) => setTimeout(r, 300));
      expect(plain.messages.filter((x) => JSON.parse(x.payload).id === retained.id)).toHaveLength(1);
    } finally {
      await plain.close();
      await pub.endAsync();
    }

    // Nothing reached the lock board, and each refusal is in the audit trail.
    await new Promise((r) => setTimeout(r, 500));
    expect(unlockFrames(h)).toBe(frames);
    const audit = h.daemon.locker.audit({ limit: 1000 }).filter((a) => a.via === "backoffice" && a.outcome === "refused");
    for (const reason of ["replayed-id", "stale-timestamp", "malformed", "bad-signature", "retained", "bad-response-topic"])
      expect(
        audit.some((a) => (a.reason ?? "").startsWith(reason)),
        `audit row for ${reason}`,
      ).toBe(true);

    // The token was never claimed by a refused request: the same link still starts a drop-off.
    expect(valid(await sendRequest(target, "dropoff", good))).toMatchObject({ status: "ok" });
  });

  it("answers each request exactly once, on the MQTT 5 response topic with the correlation data, and on cmd-result for MQTT 3.1.1 clients", { timeout: 60_000 }, async () => {
    const r5 = signedRequest(target, "case-status", { caseId: "abc-123" });
    const before = results.messages.length;
    expect(valid(await sendRequest(target, "case-status", r5))).toMatchObject({ id: r5.id, status: "refused", reason: "Locker_CaseNotFound" });
    const r4 = signedRequest(target, "case-status", { caseId: "abc-124" });
    expect(valid(await sendRequest({ ...target, protocolVersion: 4 }, "case-status", r4))).toMatchObject({ id: r4.id, status: "refused" });
    await new Promise((r) => setTimeout(r, 500));
    const answers = results.messages.slice(before).map((m) => ({ topic: m.topic, id: (JSON.parse(m.payload) as CommandResult).id }));
    expect(answers.filter((a) => a.id === r5.id)).toHaveLength(1);
    expect(answers.find((a) => a.id === r5.id)!.topic).toMatch(new RegExp(`^lockers/${h.config.lockerId}/cmd-result/[0-9a-f-]{36}$`));
  });
});
