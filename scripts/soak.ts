/**
 * soak — 10,000 whole stories through the real daemon, to show that its
 * history stays bounded: database size per 1,000 cases and the resident set
 * after 10,000 stories (goal: peak RSS < 100 MB).
 *
 * The built daemon runs in its own process as in production: the board
 * simulator in another process on TCP with the doors sped up (unlock pulse
 * 20 ms; people open 30 ms after the release and close 150 ms later: three door polls), the site
 * broker (aedes) in this process with a subscriber counting events. Each lane
 * drives one story at a time over the daemon's real interfaces: drop-off over
 * HTTP with the kiosk's QR token, staff collect and return over the admin
 * socket (as lockerctl does), pickup on the kiosk keypad API. PINs are hashed
 * at a low scrypt cost (1024) so the hash does not dominate; the per-IP rate
 * limit is lifted. Everything else is the default configuration.
 *
 * `lost` = stories whose dropoff, ready or collected event never reached the
 * broker, plus cases that did not end collected.
 * Last line: `soak stories=<n> db_mb=<d> rss_mb=<r> lost=<l>`.
 *
 *   npm run soak [-- --stories 10000 --lanes 5 --cpu-quota 0.25]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mqtt from "mqtt";
import pino from "pino";
import { adminClient } from "../src/cli/adminClient.js";
import { MALLOC_ENV, NODE_FLAGS } from "../src/daemon/nodeFlags.js";
import { startEmbeddedBroker } from "../src/mqtt/embeddedBroker.js";
import { cpuQuotaArg, createCpuQuota } from "./cpuQuota.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const STORIES = arg("stories", 10_000);
const LANES = arg("lanes", 5);
const PIN = "604817";
const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.resolve(here, "../lockerd/main.js");
const SIM_CLI = path.resolve(here, "../hardware/simulator/cli.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function post(base: string, p: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const u = new URL(p, base);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": payload.length } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function memory(pid: number): { rss: number; hwm: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-soak-"));
const sim = spawn(process.execPath, [SIM_CLI, "--tcp", "0", "--control", "0", "--pulse-ms", "20"], { stdio: ["ignore", "pipe", "inherit"] });
const simOut = await new Promise<string>((resolve, reject) => {
  let buf = "";
  sim.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    if (/^control:\s+\S+/m.test(buf) && /^simulator:.* on \S+/m.test(buf)) resolve(buf);
  });
  sim.once("exit", (c) => reject(new Error(`simulator exited ${c}`)));
});
const controlUrl = /^control:\s+(\S+)/m.exec(simOut)![1]!;
for (let ch = 1; ch <= 8; ch++) {
  await fetch(`${controlUrl}/behaviour`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ board: 1, channel: ch, openAfterMs: 30, closeAfterMs: 150 }),
  });
}
const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, log: pino({ level: "warn" }), acl: "open" }); // a stand-in for the centre's site broker: no locker ACL
const seen = new Map<string, Set<string>>(); // caseId -> event types received
const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clean: true });
sub.on("message", (_t, payload) => {
  const e = JSON.parse(payload.toString()) as { type: string; caseId?: string };
  if (!e.caseId) return;
  let s = seen.get(e.caseId);
  if (!s) seen.set(e.caseId, (s = new Set()));
  s.add(e.type);
});
await sub.subscribeAsync("lockers/soak/events/#", { qos: 1 });

const socket = path.join(dir, "admin.sock");
const configFile = path.join(dir, "config.json");
fs.writeFileSync(
  configFile,
  JSON.stringify({
    lockerId: "soak",
    dataDir: dir,
    bus: { transport: /^simulator:.* on (\S+)/m.exec(simOut)![1]!, timeouts: { pollIntervalMs: 50, unlockVerifyMs: 300 } },
    http: { host: "127.0.0.1", port: 0, adminSocket: socket, rateLimitPerMinute: 100_000 },
    mqtt: { url: broker.url, protocolVersion: 4 },
    pins: { scryptCost: 1024 },
    log: { level: "warn", pretty: false },
  }),
);
const quotaFraction = cpuQuotaArg();
const quota = quotaFraction === undefined ? undefined : createCpuQuota(quotaFraction);
if (quota) console.log(`daemon CPU capped: ${quota.describe()}`);
const args = [...NODE_FLAGS, MAIN, "--config", configFile, "--json-logs"];
const [cmd, argv] = quota ? quota.wrap(process.execPath, args) : [process.execPath, args];
// warn-level JSON logs go to a file (a soak log is for reading afterwards)
const daemon = spawn(cmd, argv, { stdio: ["ignore", fs.openSync(path.join(dir, "daemon.log"), "a"), "inherit"], env: { ...process.env, ...MALLOC_ENV } });
const admin = adminClient(socket);
let base = "";
for (let i = 0; i < 600 && !base; i++) {
  await sleep(100);
  try {
    base = (await admin.request<{ http?: { url?: string } }>("GET", "/admin/status")).http?.url ?? "";
  } catch {
    // not up yet
  }
}
if (!base) throw new Error(`the daemon did not come up; see ${dir}/daemon.log`);

type Case = { state: string };
async function waitState(id: string, want: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const c = await admin.request<Case>("GET", `/admin/cases/${id}`);
    if (c.state === want) return;
    if (Date.now() > until) throw new Error(`case ${id} stuck in ${c.state} (wanted ${want})`);
    await sleep(40);
  }
}

let tokenLock: Promise<void> = Promise.resolve();
let done = 0;
let failures = 0;
let phoneSeq = 0;
const caseIds: string[] = [];
const t0 = performance.now();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, memory(daemon.pid!).rss)), 1000);

async function dropoff(phone: string): Promise<string> {
  for (;;) {
    // one drop-off at a time takes the kiosk's current token (single use; it rotates after use)
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = tokenLock;
    tokenLock = before.then(() => mine);
    await before;
    try {
      const st = (await (await fetch(`${base}/kiosk/state`)).json()) as { qr?: { url: string } };
      if (!st.qr) throw new Error("no QR on the kiosk (clock not trusted?)");
      const token = st.qr.url.split("/d/")[1]!;
      const r = await post(base, "/api/dropoff", { token, matter: "other", phone, pin: PIN, pinConfirm: PIN, consent: true });
      if (r.status === 200) return r.json.caseId as string;
      if (r.status !== 409 && r.status !== 503 && r.status !== 410) throw new Error(`dropoff: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    } finally {
      release();
    }
    await sleep(100); // no free compartment right now: the other lanes are using them
  }
}

async function lane(): Promise<void> {
  while (done + failures < STORIES) {
    const phone = `137${String(++phoneSeq).padStart(8, "0")}`;
    try {
      const id = await dropoff(phone);
      caseIds.push(id);
      await waitState(id, "dropped_off");
      await admin.request("POST", `/admin/cases/${id}/collect`, { as: "soak" });
      await waitState(id, "with_staff");
      for (;;) {
        try {
          await admin.request("POST", `/admin/cases/${id}/return`, { as: "soak" });
          break;
        } catch {
          await sleep(100); // every compartment busy: wait for one
        }
      }
      await waitState(id, "ready");
      const p = await post(base, "/kiosk/pickup", { phone, pin: PIN });
      if (p.status !== 200) throw new Error(`pickup: HTTP ${p.status} ${JSON.stringify(p.json)}`);
      await waitState(id, "collected");
      done++;
    } catch (err) {
      failures++;
      console.error(`story failed: ${(err as Error).message}`);
    }
    if ((done + failures) % 500 === 0) {
      const m = memory(daemon.pid!);
      const rate = done / ((performance.now() - t0) / 1000);
      console.log(`${done} stories (${failures} failed), ${rate.toFixed(1)}/s, daemon RSS ${m.rss.toFixed(0)} MB, db ${dbMb().toFixed(1)} MB`);
    }
  }
}

function dbMb(): number {
  return ["lockerd.sqlite", "lockerd.sqlite-wal"].reduce((s, f) => s + (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0), 0) / 1e6;
}

try {
  await Promise.all(Array.from({ length: LANES }, () => lane()));
  await sleep(3_000); // the last events reach the broker; the daemon idles
  clearInterval(sampler);
  const m = memory(daemon.pid!);
  let lost = failures;
  for (const id of caseIds) for (const t of ["dropoff", "ready", "collected"]) if (!seen.get(id)?.has(t)) lost++;
  const db = dbMb();
  console.log(
    `${done} stories in ${((performance.now() - t0) / 1000).toFixed(0)} s; database ${db.toFixed(1)} MB = ${((db / Math.max(1, done)) * 1000).toFixed(2)} MB per 1,000 cases`,
  );
  console.log(`daemon RSS now ${m.rss.toFixed(1)} MB, highest sampled ${peakRss.toFixed(1)} MB, peak (VmHWM) ${m.hwm.toFixed(1)} MB (goal < 100 MB)`);
  console.log(`soak stories=${done} db_mb=${db.toFixed(1)} rss_mb=${m.rss.toFixed(1)} lost=${lost}`);
  process.exitCode = lost === 0 ? 0 : 1;
} finally {
  clearInterval(sampler);
  daemon.kill("SIGTERM");
  await new Promise((r) => daemon.once("exit", r));
  sim.kill("SIGTERM");
  await sub.endAsync();
  await broker.stop();
  quota?.remove();
  if (process.env.SOAK_KEEP) console.log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
