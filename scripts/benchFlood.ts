/**
 * `npm run bench:flood`: wrong PINs from many source addresses (none of them
 * fast: BENCH_PER_ADDRESS_PER_MIN each, below the per-client burst limit, as
 * in the outside review: 250 addresses, none over 20 a minute) against the
 * real daemon (built `dist/lockerd/main.js` in its own process, board simulator,
 * production PIN cost, production log level), while a genuine pickup typed
 * on the locker's own screen (`/kiosk/pickup` on the kiosk listener,
 * `http.kioskPort`) is measured 20 times. What is timed is the whole request
 * as the screen sees it, unlock included: the board's 300 ms pulse (the
 * simulator answers when its pulse ends, as the board does) is most of it
 * even with no flood (BENCH_ADDRESSES=0 gives that baseline).
 *
 * The flood is the worst a pickup away from the screen allows: such a pickup
 * needs proof of presence (a form session opened with the kiosk's QR), so the
 * attacker scans the QR once and shares the session with every address
 * (scanning it again before its proof of presence runs out); three in four
 * guesses reach the PIN check with it, one in four hits the keypad route from
 * afar (refused before any work). The end says where the daemon's CPU went
 * (main thread vs hash thread), how many log lines the flood cost, and the
 * answers by status (403 wrong PIN or no presence, 409 busy, 429 throttled).
 *
 * The attackers are clients in their own network namespace: as root the
 * bench creates the namespace `lkflood` and a veth pair (`lkflood-h` here
 * with the daemon's 10.77.0.1/16, `lkflood-n` there with 10.77.1.1 … one
 * address per attacker), and runs the attackers in a child process inside
 * it (`ip netns exec`), every attacker socket bound to its own address: the
 * daemon's public listener sees n distinct peers arriving over an Ethernet
 * interface, and the kiosk listener (127.0.0.1 only) cannot be reached from
 * there at all. One namespace holds them all: one per attacker would need a
 * process each (250 on a 2-core machine), whose CPU would distort the very
 * latency measured; the flood's process is apart from the measuring one, so
 * the bench's own event loop does not delay the pickups it times. Exactly
 * what it created is removed at the end (`ip netns del lkflood`, which takes
 * the veth pair with it), also on failure or Ctrl-C. Not root: it says so
 * and exits 2.
 *
 * Last line: `bench:flood addresses=<n> guesses=<g> pickup_p50_ms=<x> pickup_max_ms=<y>`;
 * goal pickup_max_ms < 1000. Last runs (2 cores shared with other builds):
 * at load 3.0–3.5 pickup p50 361 / 351 / 347 ms, max 400 / 410 / 470 ms
 * (~12,550 wrong PINs each; no flood: p50 364 ms, the board's 300 ms pulse
 * being most of it); `--cpu-quota 0.25` p50 449, max 595 ms; `--cpu-quota
 * 0.1` p50 804, max 1,424 ms, where even with no flood max was 1,399 ms.
 *
 * Options (env): BENCH_ADDRESSES (default 250; 0 = the no-flood baseline),
 * BENCH_PER_ADDRESS_PER_MIN (default 15), BENCH_PICKUPS (default 20),
 * BENCH_LOG_LEVEL (default info, the production default), BENCH_LOG_FILE
 * (keep the daemon's log there). `-- --cpu-quota 0.25` runs the daemon under
 * a cgroup cap of a quarter of one core (about a Raspberry Pi 4 core; see
 * scripts/cpuQuota.ts).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MALLOC_ENV, NODE_FLAGS } from "../src/daemon/nodeFlags.js";
import { adminClient } from "../src/cli/adminClient.js";
import { cpuQuotaArg, createCpuQuota } from "./cpuQuota.js";

const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 250);
const PER_MIN = Number(process.env.BENCH_PER_ADDRESS_PER_MIN ?? 15);
const PICKUPS = Number(process.env.BENCH_PICKUPS ?? 20);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";
const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.resolve(here, "../lockerd/main.js");
const NETNS = "lkflood";
const HOST_IF = "lkflood-h";
const NS_IF = "lkflood-n";
const SERVER_IP = "10.77.0.1";
const attackerIp = (i: number) => `10.77.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

function ip(args: string[], input?: string): void {
  const r = spawnSync("ip", args, { encoding: "utf8", ...(input ? { input } : {}) });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${r.stderr}`);
}

/** The attackers' namespace, the veth pair into it, the daemon's address here and every attacker's there. */
function createNetwork(): void {
  removeNetwork(); // a run killed with SIGKILL may have left ours behind
  ip(["netns", "add", NETNS]);
  ip(["link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF, "netns", NETNS]);
  ip(["addr", "add", `${SERVER_IP}/16`, "dev", HOST_IF]);
  ip(["link", "set", HOST_IF, "up"]);
  // One `ip -batch` for all of them (hundreds of forks otherwise).
  const inside = ["link set lo up", `link set ${NS_IF} up`, ...Array.from({ length: ADDRESSES }, (_, i) => `addr add ${attackerIp(i)}/16 dev ${NS_IF}`)];
  ip(["-n", NETNS, "-batch", "-"], inside.join("\n") + "\n");
}

/** Remove exactly what createNetwork made: the namespace (its end of the pair goes with it, and so does ours). */
function removeNetwork(): void {
  spawnSync("ip", ["netns", "del", NETNS]);
  spawnSync("ip", ["link", "del", HOST_IF]); // already gone unless the namespace was not there
}

/** CPU time (ms) of each thread of process `pid` so far, by thread id (Linux /proc; clock ticks of 10 ms). */
function threadCpuMs(pid: number): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), { name, ms: (Number(f[11]) + Number(f[12])) * 10 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** "main 12% · hash 20% · …" of one core: each thread's CPU between two `threadCpuMs` readings `wallMs` apart. */
function cpuShares(pid: number, before: Map<number, { name: string; ms: number }>, after: Map<number, { name: string; ms: number }>, wallMs: number): string {
  const rows = [...after].map(([tid, a]) => ({ tid, name: tid === pid ? "main" : a.name, ms: a.ms - (before.get(tid)?.ms ?? 0) }));
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const shown = rows.filter((r) => r.ms >= wallMs / 100).sort((a, b) => b.ms - a.ms);
  const pct = (ms: number) => `${((100 * ms) / wallMs).toFixed(0)}%`;
  return `${pct(total)} of one core in all (${shown.map((r) => `${r.name} ${pct(r.ms)}`).join(", ")})`;
}

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

function request(host: string, port: number, method: string, p: string, body: unknown, opts: { agent?: http.Agent; localAddress?: string; cookie?: string } = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host,
        port,
        path: p,
        method,
        agent: opts.agent,
        localAddress: opts.localAddress,
        timeout: 30_000,
        headers: { ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function until<T>(f: () => Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    // The screen's own requests count against http.rateLimitPerMinute (300) like anyone's: poll gently.
    await new Promise((r) => setTimeout(r, 300));
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/**
 * The attackers (`--attackers`, inside the namespace): each address sends one
 * wrong PIN for a random phone every 60/PER_MIN s on its own keep-alive
 * socket: three in four on the phone page's pickup with the shared session
 * (each costs a PIN hash unless refused first), one in four on the keypad
 * route from afar (refused before any work: it is served only on the kiosk
 * listener). Stdin: `session <id>` (the scanned QR's form session: the
 * flood starts with the first), `stop`.
 * Stdout: `guesses <n>` each second, then `answers <json>` when stopped.
 */
async function attackers(): Promise<void> {
  const port = Number(process.env.BENCH_HTTP_PORT);
  let session = "";
  let stop = false;
  let stopped: () => void = () => {};
  const stopping = new Promise<void>((r) => (stopped = r));
  let gotSession: () => void = () => {};
  const sessionKnown = new Promise<void>((r) => (gotSession = r));
  let rest = "";
  process.stdin.setEncoding("utf8").on("data", (d: string) => {
    rest += d;
    for (let nl = rest.indexOf("\n"); nl >= 0; nl = rest.indexOf("\n")) {
      const [cmd, arg] = rest.slice(0, nl).split(" ");
      rest = rest.slice(nl + 1);
      if (cmd === "session") (session = arg!), gotSession();
      if (cmd === "stop") (stop = true), stopped();
    }
  });
  const counts = new Map<number, number>();
  let guesses = 0;
  const periodMs = 60_000 / PER_MIN;
  await Promise.race([sessionKnown, stopping]); // the daemon is up once the QR was scanned
  const report = setInterval(() => process.stdout.write(`guesses ${guesses}\n`), 1000);
  const all = Array.from({ length: ADDRESSES }, async (_, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: attackerIp(i) } as http.AgentOptions);
    await new Promise((r) => setTimeout(r, Math.random() * periodMs));
    while (!stop) {
      const t0 = Date.now();
      const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
      const [route, body] = i % 4 === 3 ? ["/kiosk/pickup", { phone, pin: "480213" }] : ["/api/pickup", { phone, pin: "480213", session }];
      const r = await request(SERVER_IP, port, "POST", route, body, { agent, localAddress: attackerIp(i) }).catch(() => ({ status: 0 }) as Answer);
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      guesses++;
      await Promise.race([stopping, new Promise((res) => setTimeout(res, Math.max(0, periodMs - (Date.now() - t0))))]);
    }
    agent.destroy();
  });
  await Promise.all(all);
  clearInterval(report);
  process.stdout.write(`guesses ${guesses}\nanswers ${JSON.stringify(Object.fromEntries(counts))}\n`);
  process.exit(0);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error("bench:flood needs root: it creates a network namespace for the attackers (and removes it afterwards)");
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-bench-flood-"));
  const [httpPort, kioskPort, mqttPort, simPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const socket = path.join(dir, "admin.sock");
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      dataDir: dir,
      publicBaseUrl: `http://127.0.0.1:${httpPort}`,
      // Every interface: the screen comes over loopback, the attackers over the dummy interface.
      http: { host: "0.0.0.0", port: httpPort, kioskPort, adminSocket: socket },
      mqtt: { url: "embedded", embeddedHost: "127.0.0.1", embeddedPort: mqttPort },
      // The door stays open 2 s: the 200 ms door poll sees it open even on a loaded machine.
      simulator: { controlPort: simPort, openAfterMs: 200, closeAfterMs: 2000 },
      // The production default level: a log line per refusal would cost the flood's share here too.
      log: { level: LOG_LEVEL, pretty: false },
    }),
  );
  const cleanup = () => removeNetwork();
  createNetwork();
  let child: ChildProcess | undefined;
  let flood: ChildProcess | undefined;
  // Ours first: the CPU cap's own handler (registered next) exits, and its exit removes the cgroup.
  process.once("SIGINT", () => {
    flood?.kill("SIGTERM");
    child?.kill("SIGTERM");
    cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  const quotaFraction = cpuQuotaArg();
  const quota = quotaFraction === undefined ? undefined : createCpuQuota(quotaFraction);
  if (quota) console.log(`daemon under a CPU cap: ${quota.describe()}`);
  // The daemon's log goes to a file (as to journald): its size is reported at the end.
  const logFile = path.join(dir, "daemon.log");
  const logFd = fs.openSync(logFile, "w");
  // BENCH_DAEMON_FLAGS: extra node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes.
  const daemonArgs = [...NODE_FLAGS, ...(process.env.BENCH_DAEMON_FLAGS?.split(" ").filter(Boolean) ?? []), MAIN, "--config", configFile, "--json-logs"];
  const [cmd, args] = quota ? quota.wrap(process.execPath, daemonArgs) : [process.execPath, daemonArgs];
  child = spawn(cmd, args, { stdio: ["ignore", logFd, "inherit"], env: { ...process.env, ...MALLOC_ENV } });
  fs.closeSync(logFd);
  // The locker's own screen talks to the kiosk listener (http.kioskPort, loopback only).
  const screen = (method: string, p: string, body?: unknown, cookie?: string) =>
    request("127.0.0.1", kioskPort, method, p, body, { localAddress: "127.0.0.1", ...(cookie ? { cookie } : {}) });
  // The attackers in their namespace, in a process of their own.
  flood = spawn("ip", ["netns", "exec", NETNS, process.execPath, fileURLToPath(import.meta.url), "--attackers"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, BENCH_HTTP_PORT: String(httpPort) },
  });
  flood.stdin!.on("error", () => {}); // with no attackers it ends at once: nothing to tell it then
  let guesses = 0;
  const floodAnswers = new Promise<Record<string, number>>((resolve, reject) => {
    let out = "";
    flood.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
        const [cmd, arg] = [out.slice(0, out.indexOf(" ")), out.slice(out.indexOf(" ") + 1, nl)];
        out = out.slice(nl + 1);
        if (cmd === "guesses") guesses = Number(arg);
        if (cmd === "answers") resolve(JSON.parse(arg) as Record<string, number>);
      }
    });
    flood.once("exit", (code) => reject(new Error(`the attackers' process ended (code ${code}) before reporting`)));
  });
  floodAnswers.catch(() => {}); // read when stopped; an early end shows as a bench error there
  try {
    await until(async () => (await screen("GET", "/readyz").catch(() => ({ status: 0 }))).status === 200, "the daemon to be ready");
    await until(async () => fs.existsSync(socket), "the admin socket");
    const { code } = await adminClient(socket).request<{ code: string }>("POST", "/admin/staff", { name: "bench" });
    const cookie = String((await screen("POST", "/api/staff/session", { code })).headers["set-cookie"]).split(";")[0]!;

    // Pickup away from the screen needs proof of presence, so the worst flood is one whose guesses all reach a PIN hash:
    // the attacker scans the kiosk's QR once (standing at the locker, or with a camera on the screen) and shares the
    // form session with every address; it is scanned again before its proof of presence (rules.presenceMs) runs out.
    let presenceUntil = 0;
    const refreshAttackSession = async () => {
      const st = JSON.parse((await screen("GET", "/kiosk/state")).body) as { qr: { url: string } | null };
      if (!st.qr) throw new Error("bench: the kiosk shows no QR (is the wall clock trusted?)");
      const token = new URL(st.qr.url).pathname.split("/").pop()!;
      // Who scans does not matter (a session is not tied to an address): the attackers get its id.
      const r = await request("127.0.0.1", httpPort, "POST", "/api/sessions", { token });
      if (r.status !== 200) throw new Error(`bench: the attacker's form session was refused (HTTP ${r.status}): ${r.body}`);
      const v = JSON.parse(r.body) as { session: string; presenceRemainingMs: number };
      flood.stdin!.write(`session ${v.session}\n`);
      presenceUntil = Date.now() + v.presenceRemainingMs;
    };
    await refreshAttackSession();

    const periodMs = 60_000 / PER_MIN;
    await new Promise((r) => setTimeout(r, periodMs)); // let the flood reach its full rate
    const cpuBefore = threadCpuMs(child.pid!);
    const floodStart = performance.now();

    // The genuine pickups: each needs a ready case (drop-off, staff collect, staff return; the simulated
    // residents open and close the doors), then the resident types phone and PIN on the screen.
    const times: number[] = [];
    let setupRetries = 0;
    /** A ready case for `phone` (drop-off, collect, return); its case id. Throws when a door cycle stalls. */
    const readyCase = async (phone: string, pin: string): Promise<{ caseId: string; state: () => Promise<string> }> => {
      const st = JSON.parse((await screen("GET", "/kiosk/state")).body) as { qr: { url: string } | null };
      if (!st.qr) throw new Error("bench: the kiosk shows no QR (is the wall clock trusted?)");
      const token = new URL(st.qr.url).pathname.split("/").pop()!;
      const drop = await screen("POST", "/api/dropoff", { token, matter: "other", phone, pin, pinConfirm: pin, consent: true });
      if (drop.status !== 200) throw new Error(`bench: drop-off refused: ${drop.body}`);
      const caseId = (JSON.parse(drop.body) as { caseId: string }).caseId;
      const state = async () => {
        const r = await screen("GET", `/api/cases/${caseId}`);
        return r.status === 200 ? (JSON.parse(r.body) as { state: string }).state : "";
      };
      await until(async () => (await state()) === "dropped_off", "the drop-off door to close");
      const col = await screen("POST", `/api/staff/cases/${caseId}/collect`, {}, cookie);
      if (col.status !== 200) throw new Error(`bench: staff collect refused (HTTP ${col.status}): ${col.body}`);
      await until(async () => (await state()) === "with_staff", "the collect door to close");
      const ret = await screen("POST", `/api/staff/cases/${caseId}/return`, {}, cookie);
      if (ret.status !== 200) throw new Error(`bench: staff return refused (HTTP ${ret.status}): ${ret.body}`);
      await until(async () => (await state()) === "ready", "the return door to close");
      return { caseId, state };
    };
    for (let k = 0; k < PICKUPS; k++) {
      const phone = `1390000${String(1000 + k)}`;
      const pin = "790413";
      let prepared: { caseId: string; state: () => Promise<string>; phone: string } | undefined;
      // Setting up a ready case is not what is measured: a door cycle that stalls on the loaded machine is retried with a new case (and counted).
      // Scanning the QR rotates it: done here, between set-ups, never while one uses the QR.
      if (presenceUntil - Date.now() < 60_000) await refreshAttackSession();
      for (let attempt = 0; !prepared; attempt++) {
        try {
          const p = attempt === 0 ? phone : `1390001${String(1000 + k * 10 + attempt)}`;
          prepared = { ...(await readyCase(p, pin)), phone: p };
        } catch (err) {
          if (attempt >= 3) throw err;
          setupRetries++;
          console.log(`setup of pickup ${k + 1}: ${(err as Error).message}; retrying with a new case`);
        }
      }
      const { state } = prepared;
      const t0 = performance.now();
      const r = await screen("POST", "/kiosk/pickup", { phone: prepared.phone, pin });
      const ms = performance.now() - t0;
      if (r.status !== 200) throw new Error(`bench: genuine pickup ${k + 1} refused (HTTP ${r.status}): ${r.body}`);
      times.push(ms);
      console.log(`pickup ${k + 1}/${PICKUPS}: ${ms.toFixed(0)} ms (guesses so far ${guesses})`);
      await until(async () => (await state()) === "collected", "the pickup door to close");
    }
    const cpuAfter = threadCpuMs(child.pid!);
    const floodMs = performance.now() - floodStart;
    flood.stdin!.write("stop\n");
    const counts = new Map(Object.entries(await floodAnswers).map(([k, v]) => [Number(k), v]));

    const metrics = (await screen("GET", "/metrics")).body;
    const lagS = Number(/^lockerd_event_loop_lag_seconds\{quantile="0.99"\} (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    console.log(`set-up door cycles retried: ${setupRetries}`);
    console.log(`daemon CPU while measured: ${cpuShares(child.pid!, cpuBefore, cpuAfter, floodMs)}`);
    const log = fs.readFileSync(logFile, "utf8");
    if (process.env.BENCH_LOG_FILE) fs.writeFileSync(process.env.BENCH_LOG_FILE, log);
    console.log(`daemon log at level ${LOG_LEVEL}: ${log.split("\n").length - 1} lines, ${log.length} bytes`);
    console.log(`daemon event-loop lag p99: ${(lagS * 1000).toFixed(1)} ms`);
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
    console.log(
      `PIN hash thread: ${metric("lockerd_pin_hash_screen_total")} screen checks waited at most ${(metric("lockerd_pin_hash_screen_wait_max_seconds") * 1000).toFixed(0)} ms for it; ` +
        `${metric("lockerd_pin_hash_network_total")} network checks hashed (${metric("lockerd_pin_hash_network_seconds_total").toFixed(1)} s of its time), ${metric("lockerd_pin_hash_refused_busy_total")} refused busy before any hash`,
    );
    console.log(
      `attack: ${ADDRESSES} source addresses × ${PER_MIN}/min, ${guesses} wrong PINs; answers ${[...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
    );
    console.log(`genuine kiosk pickups (unlock included): p50 ${percentile(times, 50).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (goal < 1000 ms)`);
    if (Math.max(...times) >= 1000) process.exitCode = 1;
    console.log(`bench:flood addresses=${ADDRESSES} guesses=${guesses} pickup_p50_ms=${percentile(times, 50).toFixed(0)} pickup_max_ms=${Math.max(...times).toFixed(0)}`);
  } finally {
    if (flood.exitCode === null) flood.kill("SIGTERM");
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv[2] === "--attackers" ? attackers() : main()).catch((err) => {
  if (process.argv[2] !== "--attackers") removeNetwork();
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
