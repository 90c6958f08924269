/**
 * `npm run bench:http`: a flood of wrong-PIN pickups from loopback against
 * the real daemon (built `dist/lockerd/main.js` in its own process, board
 * simulator, default PIN cost and rate limit), with one genuine pickup made
 * from another loopback address in the middle of it.
 *
 * Prints requests/s, the share refused by throttling (HTTP rate limit or the
 * core's PIN lockouts), the daemon's event-loop lag p99 (its /metrics), its
 * peak RSS (VmHWM) and how long the genuine pickup took to open its door.
 * Last line: `bench:http rps=<r> lag_p99_ms=<l> rss_mb=<m> pickup_ms=<p>`.
 *
 * Options (env): BENCH_SECONDS (default 30), BENCH_CONCURRENCY (default 32),
 * BENCH_DAEMON_ARGS (extra node flags for the daemon, space-separated, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under the flood),
 * BENCH_RATE_LIMIT (the daemon's `http.rateLimitPerMinute`; e.g. 100000 models
 * a flood from many addresses, where the per-IP limit does not help and every
 * request reaches the core's PIN throttle).
 * `-- --cpu-quota 0.25` runs the daemon at a quarter of one core (a Pi 4
 * core; see scripts/cpuQuota.ts). Goal: peak RSS < 100 MB.
 *
 * Peak RSS is the daemon's VmHWM (anon + file-backed pages), read once the
 * flood ends. Last runs (2026-12-07, 2 cores, load 0.9–1.6): rps
 * 18,900–21,000, lag p99 13–14 ms, peak 88–92 MB (87–93 over eight runs),
 * pickup 358–383 ms; at 25 %: rps 3,750, lag p99 91 ms, peak 92 MB, pickup
 * 607 ms. Before the scrypt shape and statement reuse the peak was 99–105 MB.
 * A 5 ms sampler showed where it comes from: not the flood, which holds a
 * steady 83–89 MB (node binary pages ~44, V8 heap ~27–31, malloc ~8–12), but
 * each PIN or staff-code hash on top of it (the drop-off, the staff sign-in
 * and the genuine pickup): one 8 MB scrypt block while it runs, 16 MB before
 * (src/locker/PinHasher.ts SCRYPT_SHAPE, src/daemon/nodeFlags.ts).
 */
import { MALLOC_ENV, NODE_FLAGS } from "../src/daemon/nodeFlags.js";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { adminClient } from "../src/cli/adminClient.js";
import pino from "pino";
import { startEmbeddedBroker } from "../src/mqtt/embeddedBroker.js";
import { cpuQuotaArg, createCpuQuota } from "./cpuQuota.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RATE_LIMIT = process.env.BENCH_RATE_LIMIT ? Number(process.env.BENCH_RATE_LIMIT) : undefined;
const DAEMON_ARGS = (process.env.BENCH_DAEMON_ARGS ?? "").split(" ").filter(Boolean);
const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.resolve(here, "../lockerd/main.js");
const SIM_CLI = path.resolve(here, "../hardware/simulator/cli.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(base: string, method: string, p: string, body: unknown, opts: { agent?: http.Agent; localAddress?: string; cookie?: string } = {}): Promise<Answer> {
  const u = new URL(p, base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: opts.agent,
        localAddress: opts.localAddress,
        headers: { ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function until<T>(f: () => Promise<T | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-bench-http-"));
  const [httpPort, kioskPort] = [await freePort(), await freePort()];
  // As in production, the board and the broker are outside the daemon: the board simulator in its
  // own process on TCP (as an RS-485 device server), the centre's broker in this one (aedes).
  const sim = spawn(process.execPath, [SIM_CLI, "--tcp", "0", "--control", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const simLines = await new Promise<string>((resolve, reject) => {
    let buf = "";
    sim.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      if (/^control:\s+\S+/m.test(buf) && /^simulator:.* on \S+/m.test(buf)) resolve(buf);
    });
    sim.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const busUrl = /^simulator:.* on (\S+)/m.exec(simLines)![1]!;
  const controlUrl = /^control:\s+(\S+)/m.exec(simLines)![1]!;
  for (let ch = 1; ch <= 6; ch++) {
    await fetch(`${controlUrl}/behaviour`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ board: 1, channel: ch, openAfterMs: 300, closeAfterMs: 400 }),
    });
  }
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, log: pino({ level: "warn" }), acl: "open" }); // a stand-in for the centre's site broker: no locker ACL
  const socket = path.join(dir, "admin.sock");
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      dataDir: dir,
      publicBaseUrl: `http://127.0.0.1:${httpPort}`,
      http: { host: "127.0.0.1", port: httpPort, kioskPort, adminSocket: socket, ...(RATE_LIMIT ? { rateLimitPerMinute: RATE_LIMIT } : {}) },
      bus: { transport: busUrl },
      mqtt: { url: broker.url, protocolVersion: 4 },
      log: { level: "warn", pretty: false },
    }),
  );
  const quotaFraction = cpuQuotaArg();
  const quota = quotaFraction === undefined ? undefined : createCpuQuota(quotaFraction);
  if (quota) console.log(`daemon CPU capped: ${quota.describe()}`);
  const args = [...NODE_FLAGS, ...DAEMON_ARGS, MAIN, "--config", configFile, "--json-logs"];
  const [cmd, argv] = quota ? quota.wrap(process.execPath, args) : [process.execPath, args];
  const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...MALLOC_ENV } });
  // Listened for now: a daemon that dies at start (a bad flag in BENCH_DAEMON_ARGS) must end the bench, not hang it.
  const exited = new Promise((r) => child.once("exit", r));
  const base = `http://127.0.0.1:${httpPort}`;
  const kiosk = `http://127.0.0.1:${kioskPort}`;
  // A phone at the locker: scan the kiosk's QR (the kiosk listener shows it) and open a form session with it.
  const scan = async () => new URL((JSON.parse((await request(kiosk, "GET", "/kiosk/state", undefined)).body) as { qr: { url: string } }).qr.url).pathname.split("/").pop()!;
  const openSession = async (localAddress: string) =>
    (JSON.parse((await request(base, "POST", "/api/sessions", { token: await scan() }, { localAddress })).body) as { session: string }).session;
  try {
    await until(async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`bench: the daemon exited at start (${child.exitCode ?? child.signalCode})`);
      return (await request(base, "GET", "/readyz", undefined).catch(() => ({ status: 0 }))).status === 200;
    }, "the daemon to be ready");

    // A ready case: drop-off, staff collect, staff return (the simulator's residents open and close the doors).
    const phone = "13912345678";
    const pin = "790413";
    const token = await scan();
    const drop = await request(base, "POST", "/api/dropoff", { token, matter: "other", phone, pin, pinConfirm: pin, consent: true }, { localAddress: "127.0.0.2" });
    if (drop.status !== 200) throw new Error(`bench: drop-off refused: ${drop.body}`);
    const caseId = (JSON.parse(drop.body) as { caseId: string }).caseId;
    const state = async () => (JSON.parse((await request(base, "GET", `/api/cases/${caseId}`, undefined, { localAddress: "127.0.0.2" })).body) as { state: string }).state;
    await until(async () => (await state()) === "dropped_off", "the drop-off door to close");
    const { code } = await adminClient(socket).request<{ code: string }>("POST", "/admin/staff", { name: "bench" });
    const signIn = await request(base, "POST", "/api/staff/session", { code }, { localAddress: "127.0.0.2" });
    const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
    await request(base, "POST", `/api/staff/cases/${caseId}/collect`, {}, { localAddress: "127.0.0.2", cookie });
    await until(async () => (await state()) === "with_staff", "the collect door to close");
    await request(base, "POST", `/api/staff/cases/${caseId}/return`, {}, { localAddress: "127.0.0.2", cookie });
    await until(async () => (await state()) === "ready", "the return door to close");

    // The flood: wrong PINs for many phones, as fast as the loopback allows, from an attacker who
    // stands at the locker (scanned its QR: a valid proof of presence), the worst case for the PIN path.
    const floodSession = await openSession("127.0.0.1");
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const counts = new Map<number, number>();
    let total = 0;
    const started = Date.now();
    const stopAt = started + SECONDS * 1000;
    let pickupMs = NaN;
    let pickupStatus = 0;
    const genuine = (async () => {
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
      const session = await openSession("127.0.0.2");
      const t0 = performance.now();
      const r = await request(base, "POST", "/api/pickup", { session, phone, pin }, { localAddress: "127.0.0.2" });
      pickupMs = performance.now() - t0;
      pickupStatus = r.status;
    })();
    const worker = async (w: number) => {
      let i = 0;
      while (Date.now() < stopAt) {
        const fakePhone = `137${String((w * 1_000_003 + i++) % 100_000_000).padStart(8, "0")}`;
        const r = await request(base, "POST", "/api/pickup", { session: floodSession, phone: fakePhone, pin: "000001" }, { agent }).catch(() => ({ status: 0 }) as Answer);
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        total++;
      }
    };
    await Promise.all([...Array.from({ length: CONCURRENCY }, (_, w) => worker(w)), genuine]);
    agent.destroy();
    const elapsedS = (Date.now() - started) / 1000;

    const metrics = (await request(base, "GET", "/metrics", undefined, { localAddress: "127.0.0.2" })).body;
    const lagS = Number(/^lockerd_event_loop_lag_seconds\{quantile="0.99"\} (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN);
    const reader = new Database(path.join(dir, "lockerd.sqlite"), { readonly: true });
    const auditRows = (reader.prepare("SELECT count(*) AS n FROM audit WHERE action = 'pickup' AND outcome = 'refused'").get() as { n: number }).n;
    reader.close();
    const throttled = (counts.get(429) ?? 0) / Math.max(1, total);
    const rps = total / elapsedS;
    console.log(`requests: ${total} in ${elapsedS.toFixed(1)} s, ${CONCURRENCY} connections`);
    console.log(
      `answers: ${[...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
    );
    console.log(`refused by throttling (429): ${(throttled * 100).toFixed(1)} %`);
    console.log(`refused-pickup audit rows written: ${auditRows}`);
    console.log(`genuine pickup during the flood: HTTP ${pickupStatus} in ${pickupMs.toFixed(0)} ms (goal < 1000 ms)`);
    console.log(`daemon event-loop lag p99: ${(lagS * 1000).toFixed(1)} ms; peak RSS: ${(hwmKb / 1024).toFixed(0)} MB`);
    if (pickupStatus !== 200) process.exitCode = 1;
    console.log(`bench:http rps=${rps.toFixed(0)} lag_p99_ms=${(lagS * 1000).toFixed(1)} rss_mb=${(hwmKb / 1024).toFixed(0)} pickup_ms=${pickupMs.toFixed(0)}`);
  } finally {
    child.kill("SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
    quota?.remove();
    sim.kill("SIGTERM");
    await broker.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
