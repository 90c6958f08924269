/**
 * bench:crash — kill the core at random moments and prove nothing is lost.
 *
 * The board simulator runs here (TCP), so doors keep their state across
 * kills as real doors do. A child (`crashRunner.js`) runs the locker core on
 * a real SQLite file and drives story cycles (drop-off → staff collect →
 * staff return → pickup); it is SIGKILLed at a random moment and restarted
 * until at least CYCLES stories completed. Now and then one door's latch
 * springs back unopened, so cancelled drop-offs and aborted collections are
 * exercised too. A last child only starts
 * (reconciling) and lets door cycles finish; then every case is checked
 * against the doors and the outbox.
 *
 * Last line: `bench:crash cycles=<n> kills=<k> lost=<l> stuck=<s>`, where
 * cycles = stories completed (collected cases in the database).
 * Env: BENCH_CYCLES (default 100), BENCH_MAX_KILL_MS (default 2500).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { startSimulator } from "../hardware/simulator/startSimulator.js";
import { defaultConfig } from "../src/config/defaults.js";

const CYCLES = Number(process.env.BENCH_CYCLES ?? 100);
const MAX_KILL_MS = Number(process.env.BENCH_MAX_KILL_MS ?? 2500);
const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), "crashRunner.js");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-benchcrash-"));
const PULSE_MS = 50;
const sim = await startSimulator({ transport: "tcp", boards: [{ address: 1, channels: 8 }], pulseMs: PULSE_MS });
const board = sim.control.board(1);

const config = defaultConfig();
config.dataDir = dir;
config.bus.transport = sim.transport;
config.bus.timeouts.pollIntervalMs = 40;
config.bus.timeouts.unlockVerifyMs = 300;
config.pins.scryptCost = 1024;
config.rules.doorOpenTimeoutMs = 1000;
config.rules.doorLeftOpenMs = 10_000;
config.log.pretty = false;

let cycles = 0;
let kills = 0;
const started = Date.now();

function runChild(settle: boolean): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [RUNNER], {
    env: { ...process.env, BENCH_CONFIG: JSON.stringify(config), BENCH_SETTLE: settle ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buf = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === "ready") onReady();
      else if (line.startsWith("cycle ")) cycles++;
    }
  });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (err = (err + c).slice(-4000)));
  const exited = new Promise<number | null>((r) =>
    child.on("exit", (code) => {
      if (code !== null && code !== 0) process.stderr.write(`runner exited ${code}: ${err}\n`);
      r(code);
    }),
  );
  return { child, ready, exited };
}

/** Everyone a quick, normal resident; sometimes one door whose latch springs back unopened (cancel/abort paths). */
function people(allowWalkAway: boolean): void {
  for (let ch = 1; ch <= 8; ch++) {
    // a door a walk-away person left open (the swap of behaviours cancelled its closing) is shut while the daemon is down
    if (!board.snapshot().channels[ch - 1]!.doorClosed) board.closeDoor(ch);
    board.setBehaviour(ch, { behaviour: "normal", openAfterMs: 40, closeAfterMs: 120 });
  }
  if (allowWalkAway && Math.random() < 0.3) board.setBehaviour(1 + Math.floor(Math.random() * 6), { behaviour: "walkAway", relatchAfterMs: PULSE_MS + 1 });
}

while (cycles < CYCLES) {
  people(true);
  const run = runChild(false);
  const exitedEarly = await Promise.race([run.ready.then(() => false), run.exited.then(() => true)]);
  if (exitedEarly) throw new Error("the runner died before it was ready (see its stderr above)");
  // kill at a random moment: during start-up reconciliation, mid-unlock, mid-commit, with doors open…
  await new Promise((r) => setTimeout(r, Math.random() * MAX_KILL_MS));
  run.child.kill("SIGKILL");
  await run.exited;
  kills++;
  process.stdout.write(`\r${cycles} cycles, ${kills} kills, ${Math.round((Date.now() - started) / 1000)} s   `);
}
process.stdout.write("\n");

// The last start: reconcile, let cycles in progress finish, exit cleanly.
people(false);
const last = runChild(true);
if ((await last.exited) !== 0) throw new Error("the settling run failed");
await new Promise((r) => setTimeout(r, 500)); // simulated people finish closing doors

const { lost, stuck, notes, collected } = check();
if (collected !== cycles) notes.push(`the runners reported ${cycles} finished stories; the database holds ${collected} collected cases (reported below)`);
for (const n of notes.slice(0, 20)) process.stdout.write(`  ${n}\n`);
await sim.stop();
process.stdout.write(`elapsed ${Math.round((Date.now() - started) / 1000)} s, data in ${dir}\n`);
process.stdout.write(`bench:crash cycles=${collected} kills=${kills} lost=${lost} stuck=${stuck}\n`);
process.exit(lost === 0 && stuck === 0 ? 0 : 1);

function check(): { lost: number; stuck: number; notes: string[]; collected: number } {
  const db = new Database(path.join(dir, "lockerd.sqlite"), { readonly: true });
  const cases = db.prepare("SELECT id, number, state, compartment, pending_op FROM locker_case").all() as {
    id: string;
    number: string;
    state: string;
    compartment: number | null;
    pending_op: string | null;
  }[];
  const comps = db.prepare("SELECT number, status, case_id FROM compartment").all() as { number: number; status: string; case_id: string | null }[];
  const events = db
    .prepare("SELECT event FROM outbox ORDER BY seq")
    .all()
    .map((r) => JSON.parse((r as { event: string }).event) as { id: string; type: string; caseId?: string });
  db.close();
  const notes: string[] = [];
  let stuck = 0;
  let lost = 0;
  const byId = new Map(cases.map((c) => [c.id, c]));
  const HELD = ["dropped_off", "ready", "frozen"];
  for (const c of cases) {
    if (c.pending_op || ["dropoff_pending", "return_pending", "collecting"].includes(c.state)) stuck++, notes.push(`case ${c.number} left ${c.state} (${c.pending_op ?? "-"})`);
    if (HELD.includes(c.state)) {
      const comp = comps.find((x) => x.number === c.compartment);
      if (comp?.status !== "holding" || comp.case_id !== c.id) stuck++, notes.push(`case ${c.number} is ${c.state} but compartment ${c.compartment} is ${comp?.status}`);
    }
  }
  for (const comp of comps) {
    const c = comp.case_id ? byId.get(comp.case_id) : undefined;
    if (comp.status === "reserved") stuck++, notes.push(`compartment ${comp.number} reserved after settling (case ${c?.number ?? "none"})`);
    if (comp.status === "holding" && !(c && HELD.includes(c.state) && c.compartment === comp.number))
      stuck++, notes.push(`compartment ${comp.number} holding for ${c ? `${c.number} (${c.state})` : "no case"}`);
    if (comp.status === "faulty") notes.push(`compartment ${comp.number} is faulty (not an error by itself)`);
    if (!board.shut(comp.number)) stuck++, notes.push(`door ${comp.number} is not closed`);
  }
  const count = (caseId: string, type: string) => events.filter((e) => e.caseId === caseId && e.type === type).length;
  for (const c of cases) {
    const need: string[] = [];
    if (!["dropoff_pending", "cancelled"].includes(c.state)) need.push("dropoff");
    if (["ready", "collecting", "collected", "frozen"].includes(c.state)) need.push("ready");
    if (c.state === "collected") need.push("collected");
    if (c.state === "cancelled") need.push("cancelled");
    for (const t of need) {
      const n = count(c.id, t);
      if (n !== 1) lost++, notes.push(`case ${c.number} (${c.state}) has ${n} "${t}" events, expected 1`);
    }
  }
  notes.unshift(
    `${cases.length} cases (${cases.filter((c) => c.state === "collected").length} collected, ${cases.filter((c) => c.state === "cancelled").length} cancelled), ${events.length} outbox events`,
  );
  return { lost, stuck, notes, collected: cases.filter((c) => c.state === "collected").length };
}
