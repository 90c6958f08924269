/**
 * npm run bench:mqtt — how fast staff hear about a drop-off. The real daemon
 * (board simulator over TCP, SQLite in a temp folder, embedded aedes broker)
 * runs a drop-off; the clock starts when the simulated door closes and stops
 * when `events/dropoff` for that case reaches a separate MQTT subscriber.
 * That span holds the door monitor's poll wait (0 to one poll interval), the
 * case transition and outbox commit, the relay and the broker hop.
 * Staff then collect the pouch so the compartment is free for the next round.
 * BENCH_N rounds (default 200). Goal: p99 ≤ poll interval + 20 ms.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import mqtt from "mqtt";
import { loadConfig } from "../src/config/loadConfig.js";
import { Daemon } from "../src/daemon/Daemon.js";
import type { Actor, LockerApi } from "../src/locker/LockerApi.js";
import { DomainEvents, type LockerEvent, type OutboxReader } from "../src/locker/events.js";
import { startEmbeddedBroker } from "../src/mqtt/embeddedBroker.js";
import { MqttService } from "../src/mqtt/MqttService.js";
import { m002_mqtt } from "../src/store/migrations/002-mqtt.js";
import { systemClock } from "../src/util/clock.js";
import { createLogger } from "../src/util/logger.js";

const N = Number(process.env.BENCH_N ?? 200);
const RESIDENT: Actor = { kind: "resident", id: "bench-kiosk", via: "kiosk", client: "bench-kiosk" };
const STAFF: Actor = { kind: "staff", id: "bench-staff", name: "Bench", via: "staff-page" };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-bench-mqtt-"));
const config = loadConfig({
  env: {},
  cwd: dir,
  overrides: {
    lockerId: "bench-locker",
    dataDir: dir,
    http: { host: "127.0.0.1", port: 0, kioskPort: 0, adminSocket: path.join(dir, "admin.sock") },
    mqtt: { url: "embedded", embeddedHost: "127.0.0.1", embeddedPort: 0 },
    simulator: { controlPort: 0, openAfterMs: 20, closeAfterMs: 0 },
    pins: { scryptCost: 1024 },
    log: { level: "warn", pretty: false },
  },
});
const daemon = await Daemon.start({ config, log: createLogger({ level: "warn", pretty: false, destination: process.stderr as never }) });
const locker = daemon.locker;
const board = daemon.simulator!.control.board(1);
const poll = config.bus.timeouts.pollIntervalMs;

const arrived = new Map<string, number>();
const sub = await mqtt.connectAsync(daemon.mqtt.status().url, { protocolVersion: 4, clientId: "bench-staff-client" });
(sub.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
sub.on("message", (_topic, payload) => {
  const at = performance.now();
  const e = JSON.parse(payload.toString("utf8")) as { caseId?: string };
  if (e.caseId) arrived.set(e.caseId, at);
});
await sub.subscribeAsync(`${config.mqtt.prefix}/${config.lockerId}/events/dropoff`, { qos: 1 });
await until(() => daemon.mqtt.status().connected, "the daemon's MQTT connection");

// Where the time goes: door seen closed by the poll (domain `door` event), event committed to the outbox.
const doorSeenAt = new Map<number, number>();
const committedAt = new Map<string, number>();
daemon.events.on("door", (e) => e.state === "closed" && doorSeenAt.set(e.compartment, performance.now()));
daemon.events.on("outboxAppended", (e) => e.type === "dropoff" && e.caseId && committedAt.set(e.caseId, performance.now()));
const pollShare: number[] = [];
const coreShare: number[] = [];
const mqttShare: number[] = [];

const doorIs = (n: number, s: string) => () => locker.compartments().find((c) => c.number === n)?.door === s;
const latencies: number[] = [];
try {
  for (let i = 0; i < N; i++) {
    const phone = `139${String(10_000_000 + i).padStart(8, "0")}`;
    const d = await locker.startDropoff({ token: locker.currentDropoffLink().url, matter: "other", phone, pin: "730241", consent: true }, RESIDENT);
    await until(doorIs(d.compartment, "open"), `door ${d.compartment} open`);
    // Close at a random phase of the poll cycle, as a person would.
    await new Promise((r) => setTimeout(r, Math.random() * poll));
    const closedAt = performance.now();
    board.closeDoor(d.compartment);
    await until(() => arrived.has(d.caseId), `events/dropoff of ${d.caseNumber}`);
    latencies.push(arrived.get(d.caseId)! - closedAt);
    const seen = doorSeenAt.get(d.compartment)!;
    const committed = committedAt.get(d.caseId)!;
    pollShare.push(seen - closedAt);
    coreShare.push(committed - seen);
    mqttShare.push(arrived.get(d.caseId)! - committed);
    const o = await locker.staffCollect(d.caseId, STAFF);
    await until(doorIs(o.compartment, "open"), `door ${o.compartment} open for staff`);
    board.closeDoor(o.compartment);
    await until(() => locker.getCase(d.caseId).state === "with_staff", "staff collect");
    if ((i + 1) % 50 === 0) process.stderr.write(`  ${i + 1}/${N}\n`);
  }
} finally {
  await sub.endAsync();
  await daemon.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

const drain = await drainAfterOutage(Number(process.env.BENCH_DRAIN_N ?? 5000));

const sorted = [...latencies].sort((a, b) => a - b);
const p50 = pct(sorted, 50);
const p99 = pct(sorted, 99);
const goal = poll + 20;
console.log(`door closed → events/dropoff at a subscriber, ${N} drop-offs, poll interval ${poll} ms (embedded aedes, TCP simulator)`);
console.log(`min ${sorted[0]!.toFixed(1)} ms  p50 ${p50.toFixed(1)} ms  p90 ${pct(sorted, 90).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${sorted.at(-1)!.toFixed(1)} ms`);
const share = (name: string, xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  console.log(`  ${name.padEnd(42)} p50 ${pct(s, 50).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`);
};
share("door closed → poll sees it (board layer)", pollShare);
share("seen → dropoff committed to outbox (core)", coreShare);
share("committed → at the subscriber (MQTT relay)", mqttShare);
console.log(`goal p99 ≤ ${goal} ms (poll interval + 20 ms): ${p99 <= goal ? "met" : "NOT met"}`);
console.log(drain);
console.log(`bench:mqtt p50_ms=${p50.toFixed(1)} p99_ms=${p99.toFixed(1)}`);

/**
 * Second figure: how fast a backlog leaves after an outage. The MQTT service
 * alone (an in-memory outbox standing in for SQLite) against the embedded
 * broker, which is stopped while `n` events are queued and then restarted.
 */
async function drainAfterOutage(n: number): Promise<string> {
  const log = createLogger({ level: "silent", pretty: false });
  const ddir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-bench-drain-"));
  const db = new Database(path.join(ddir, "drain.sqlite"));
  db.transaction(() => m002_mqtt.up(db))();
  let broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, log, acl: "open" });
  const port = broker.port;
  const rows: Array<{ event: LockerEvent; sent: boolean }> = [];
  let head = 0;
  const outbox: OutboxReader = {
    pending: (limit) => rows.slice(head, head + limit).flatMap((r, i) => (r.sent ? [] : [{ seq: head + i + 1, event: r.event }])),
    markSent: (seq) => {
      rows[seq - 1]!.sent = true;
      while (head < rows.length && rows[head]!.sent) head++;
    },
    depth: () => rows.length - head,
  };
  const events = new DomainEvents();
  const cfg = loadConfig({
    env: {},
    cwd: ddir,
    overrides: { lockerId: "bench-drain", dataDir: ddir, mqtt: { url: broker.url, protocolVersion: 4, reconnectPeriodMs: 100, reconnectMaxMs: 200, backlogAlarm: 1_000_000 } },
  });
  const noLocker = { compartments: () => [], recordAudit: () => {} } as unknown as LockerApi;
  const svc = new MqttService({ config: cfg, version: "bench", events, outbox, locker: noLocker, db, log, clock: systemClock });
  await svc.start();
  await svc.whenConnected(10_000);
  await broker.stop();
  await until(() => !svc.status().connected, "the service to notice the outage");
  for (let i = 0; i < n; i++) {
    const event: LockerEvent = {
      id: randomUUID(),
      type: "dropoff",
      time: new Date().toISOString(),
      clockTrusted: true,
      lockerId: cfg.lockerId,
      caseId: `c${i}`,
      caseNumber: `A${i}`,
    };
    rows.push({ event, sent: false });
    events.emit("outboxAppended", event);
  }
  broker = await startEmbeddedBroker({ host: "127.0.0.1", port, log, acl: "open" });
  await svc.whenConnected(10_000);
  const t0 = performance.now();
  await until(() => outbox.depth() === 0, "the backlog to drain", 120_000);
  const ms = performance.now() - t0;
  await svc.stop();
  await broker.stop();
  db.close();
  fs.rmSync(ddir, { recursive: true, force: true });
  return `backlog drain after an outage: ${n} events in ${ms.toFixed(0)} ms = ${Math.round((n / ms) * 1000)} events/s (acked by the embedded broker, window 16)`;
}
