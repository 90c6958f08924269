/**
 * Issue 13, must-show 2, on real processes: lockerd from dist/ with a config
 * file, the board simulator on a pseudo-terminal, a real Mosquitto, and a
 * local back office behind the signed webhook. The back office is down for
 * 30 s (LOCKERD_OUTAGE_MS shortens it for a quick local run) while 10 cases go
 * drop-off → with staff → ready (→ collected, to free the 6 doors), and lockerd is restarted (SIGTERM) once in
 * the middle. Afterwards the back office has all 20 events (dropoff and ready
 * of each case), in order, unique ids, each correctly signed; MQTT staff
 * alerts arrived on time during the outage; `lockerctl notify status` says
 * what is going on (exit 1 while failing, 0 once caught up).
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "../mqtt/helpers/brokers.js";
import { subscribe, type Listener } from "../mqtt/helpers/subscriber.js";
import { startFakeService, type FakeService } from "../notify/support/fakeService.js";
import { json, poll } from "./support/http.js";
import { lockerctl, requireBuild, startLockerd, startSimulatorProcess, type LockerdProcess, type SimulatorProcess } from "./support/processes.js";

const OUTAGE_MS = Number(process.env.LOCKERD_OUTAGE_MS ?? 30_000);
const LOCKER = "e2e-notify";
const SECRET = "back-office-secret-for-the-test";
const CASES = 10;

describe.runIf(mosquittoAvailable())("signed webhook outage across a daemon restart", () => {
  let broker: TestBroker;
  let sim: SimulatorProcess;
  let office: FakeService;
  let daemon: LockerdProcess | undefined;
  let events: Listener & { client: unknown };
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    requireBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-e2e-notify-"));
    broker = await startMosquitto();
    sim = await startSimulatorProcess();
    office = await startFakeService({ status: 204 });
    fs.writeFileSync(path.join(dir, "office-secret"), SECRET + "\n", { mode: 0o600 });
    configFile = path.join(dir, "config.json");
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        lockerId: LOCKER,
        dataDir: "./data",
        bus: { transport: sim.transport },
        http: { host: "127.0.0.1", port: 0, kioskPort: 0 },
        mqtt: { url: broker.url },
        pins: { scryptCost: 1024 },
        log: { level: "info" },
        notify: {
          retryMinMs: 250,
          retryMaxMs: 2000,
          channels: [{ id: "office", kind: "webhook", events: ["dropoff", "ready"], url: office.url, secretFile: "office-secret", includePhone: true }],
        },
      }),
    );
    events = await subscribe(broker.url, `lockers/${LOCKER}/events/#`, 5, `e2e-notify-staff-${process.pid}`);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await events?.close();
    await sim?.stop();
    await office?.close();
    await broker?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`back office down ${OUTAGE_MS / 1000} s while ${CASES} cases get ready, one restart: all ${CASES * 2} events arrive after, in order, unique ids, MQTT on time`, {
    timeout: OUTAGE_MS + 240_000,
  }, async () => {
    // Simulated people open each unlocked door after 300 ms and close it 400 ms later.
    for (let ch = 1; ch <= 6; ch++) await sim.control("/behaviour", { board: 1, channel: ch, openAfterMs: 300, closeAfterMs: 400 });
    daemon = await startLockerd(configFile);
    const socket = path.join(dir, "data", "admin.sock");
    const added = await lockerctl(["--socket", socket, "staff", "add", "李姐"]);
    expect(added.code, added.stderr).toBe(0);
    const staffCode = (added.json as { code: string }).code;
    let base = daemon.url;
    // The QR and the keypad pickup are the locker screen's: on its own kiosk listener.
    let kiosk = daemon.kioskUrl;
    let cookie = await signIn(base, staffCode);

    await office.down();
    const downAt = Date.now();
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) {
      if (i === CASES / 2) {
        // Restart in the middle: cursors and the outbox are in SQLite; nothing may be lost or repeated out of order.
        expect(await daemon.stop("SIGTERM")).toBe(0);
        daemon = await startLockerd(configFile);
        base = daemon.url;
        kiosk = daemon.kioskUrl;
        cookie = await signIn(base, staffCode);
      }
      const phone = `1390000${String(1000 + i)}`;
      const token = ((await json(`${kiosk}/kiosk/state`)) as { qr: { url: string } }).qr.url.split("/d/")[1]!;
      const drop = (await json(`${base}/api/dropoff`, { token, matter: "certificate", phone, pin: "730519", pinConfirm: "730519", consent: true })) as { caseId: string };
      caseIds.push(drop.caseId);
      await stateIs(base, drop.caseId, "dropped_off");
      // MQTT is not held up by the dead webhook: the staff alert is there already.
      await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/dropoff") && JSON.parse(x.payload).caseId === drop.caseId), 10_000);
      await json(`${base}/api/staff/cases/${drop.caseId}/collect`, {}, cookie);
      await stateIs(base, drop.caseId, "with_staff");
      await json(`${base}/api/staff/cases/${drop.caseId}/return`, {}, cookie);
      await stateIs(base, drop.caseId, "ready");
      await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/ready") && JSON.parse(x.payload).caseId === drop.caseId), 10_000);
      // The resident collects at the kiosk, freeing the compartment (6 doors, 10 cases); `collected` is not a channel event.
      await json(`${kiosk}/kiosk/pickup`, { phone, pin: "730519" });
      await stateIs(base, drop.caseId, "collected");
    }
    expect(office.received).toHaveLength(0);

    // While the back office is down, lockerctl says so (exit 1) with the backlog and the error.
    const during = await lockerctl(["--socket", socket, "notify", "status"]);
    expect(during.code).toBe(1);
    const [st] = during.json as Array<{ id: string; backlog: number; lastError: string; failures: number }>;
    expect(st).toMatchObject({ id: "office", backlog: CASES * 2 });
    expect(st!.lastError).toMatch(/cannot reach/);
    expect(JSON.stringify(during.json)).not.toContain(SECRET);

    const left = OUTAGE_MS - (Date.now() - downAt);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    await office.up();
    const upAt = Date.now();
    await office.waitFor((r) => new Set(r.map((x) => x.json?.id)).size >= CASES * 2, `${CASES * 2} distinct events at the back office`, 60_000);
    const caughtUpS = (Date.now() - upAt) / 1000;

    // In order, unique ids, each signed, and exactly the outbox's dropoff/ready events.
    const distinct = [...new Map(office.received.map((r) => [r.json.id as string, r])).values()];
    expect(distinct).toHaveLength(CASES * 2);
    expect(distinct.map((r) => `${r.json.type}:${r.json.caseId}`)).toEqual(caseIds.flatMap((id) => [`dropoff:${id}`, `ready:${id}`]));
    const seqs = distinct.map((r) => r.json.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    for (const r of office.received) {
      const ts = String(r.headers["x-lockerd-timestamp"]);
      expect(r.headers["x-lockerd-signature"]).toBe(`sha256=${createHmac("sha256", SECRET).update(`${ts}.${r.body}`).digest("hex")}`);
      expect(r.headers["x-lockerd-event-id"]).toBe(r.json.id);
    }
    // The back office can text the resident: the full phone is on `ready` (includePhone), never on `dropoff`.
    expect(distinct.filter((r) => r.json.type === "ready").map((r) => r.json.residentPhone)).toEqual(caseIds.map((_, i) => `1390000${String(1000 + i)}`));
    expect(distinct.filter((r) => r.json.type === "dropoff").every((r) => r.json.residentPhone === undefined)).toBe(true);

    // MQTT got every event once per id, in order, unaffected by the webhook.
    const mqttEvents = [
      ...new Map(
        events.messages
          .map((x) => JSON.parse(x.payload))
          .filter((e) => e.type === "dropoff" || e.type === "ready")
          .map((e) => [e.id, e]),
      ).values(),
    ];
    expect(mqttEvents.map((e) => e.id)).toEqual(distinct.map((r) => r.json.id));

    await poll(async () => (await lockerctl(["--socket", socket, "notify", "status"])).code === 0, "notify status back to ok", 20_000);
    console.log(
      `webhook down ${((upAt - downAt) / 1000).toFixed(1)} s with a restart; ${CASES * 2} events, ${office.received.length} deliveries, caught up ${caughtUpS.toFixed(1)} s after it came back`,
    );
  });
});

async function signIn(base: string, code: string): Promise<string> {
  const r = await fetch(`${base}/api/staff/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  expect(r.status).toBe(200);
  return r.headers.get("set-cookie")!.split(";")[0]!;
}

async function stateIs(base: string, caseId: string, state: string): Promise<void> {
  await poll(async () => ((await json(`${base}/api/cases/${caseId}`)) as { state: string }).state === state, `case ${caseId} ${state}`, 20_000);
}
