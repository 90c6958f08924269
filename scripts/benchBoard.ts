/**
 * npm run bench:board [-- --protocol kerong] — round-trip cost of the board
 * layer on a simulated line at the protocol's factory speed (8A/80: 9600
 * baud; Kerong: 19200, where an unlock is the fire-and-forget pulse plus the
 * status read that confirms it). The simulator (over a real pty via socat) paces every byte
 * at 10 bits per character and answers with zero processing delay (pulse 0 ms),
 * so total − wire time of request and reply = the software's share (ours, the
 * OS pty, the simulator's own scheduling; an upper bound on ours).
 * 500 unlocks and 500 query-alls; 10 ms idle between exchanges, as between
 * polls, so the 5 ms inter-frame gap never adds to a measured exchange.
 */
import { BoardBus } from "../src/board/BoardBus.js";
import { BoardClient } from "../src/board/BoardClient.js";
import { createTransport } from "../src/board/createTransport.js";
import { codecFor, DEFAULT_BAUD } from "../src/protocol/index.js";
import { protocolOption } from "../src/board/directBus.js";
import { defaultConfig } from "../src/config/defaults.js";
import { startSimulator } from "../hardware/simulator/startSimulator.js";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({ options: { protocol: { type: "string", default: "8a80" } }, strict: true });
const PROTOCOL = protocolOption(args.protocol);
const codec = codecFor(PROTOCOL);
const KERONG = PROTOCOL === "kerong";
const ADDRESS = codec.boardIds.min === 0 ? 0 : 1;
const BAUD = DEFAULT_BAUD[PROTOCOL];
const N = Number(process.env.BENCH_N ?? 500);
const charMs = 10_000 / BAUD;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const f = (x: number) => x.toFixed(3);

const sim = await startSimulator({ transport: "pty", protocol: PROTOCOL, boards: [{ address: ADDRESS }], paceBaud: BAUD, pulseMs: 0, queryDelayMs: 0 });
sim.control.board(ADDRESS).setBehaviour(1, { behaviour: "walkAway", relatchAfterMs: 3_600_000 });
const base = defaultConfig().bus;
const cfg = { ...base, protocol: PROTOCOL, transport: sim.transport, baudRate: BAUD, boards: base.boards.map((b) => ({ ...b, address: ADDRESS })) };
const transport = createTransport(cfg);
await transport.open();
const bus = new BoardBus(transport, codec, cfg.timeouts);
const client = new BoardClient(bus, codec, cfg.boards, cfg);
const pause = () => new Promise((r) => setTimeout(r, 10));
// Host-side share only: from the call to the TX frame being handed to the OS, plus from the last
// received chunk to the caller resuming. Excludes the pty, socat and the simulator.
let txAt = 0;
let lastRxAt = 0;
let txSeen = false;
// the first frame of an operation (a Kerong unlock writes two: the pulse, then the status read)
bus.on("frame", (fr) => {
  if (fr.dir !== "tx" || txSeen) return;
  txSeen = true;
  txAt = performance.now();
});
transport.on("data", () => (lastRxAt = performance.now()));

async function measure(name: string, wireBytes: number, op: () => Promise<unknown>, idleMs = 0): Promise<number[]> {
  for (let i = 0; i < 20; i++) await op(); // warm-up: JIT, pty buffers
  await pause();
  const totals: number[] = [];
  const host: number[] = [];
  for (let i = 0; i < N; i++) {
    txSeen = false;
    const t0 = performance.now();
    await op();
    const t1 = performance.now();
    totals.push(t1 - t0);
    host.push(txAt - t0 + (t1 - lastRxAt));
    await pause();
  }
  host.sort((a, b) => a - b);
  const wire = wireBytes * charMs + idleMs;
  const over = totals.map((t) => t - wire).sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(9)} n=${N} wire=${f(wire)}ms total p50=${f(pct(totals, 50))} p99=${f(pct(totals, 99))} max=${f(totals.at(-1)!)} | software p50=${f(pct(over, 50))} p99=${f(pct(over, 99))} ms | host-side p50=${f(pct(host, 50))} p99=${f(pct(host, 99))} ms`,
  );
  return over;
}

const started = performance.now();
console.log(`bench:board  protocol ${KERONG ? "Kerong KR-CU" : "8A/80"} over a pty (socat), simulator paced at ${BAUD} baud (${f(charMs)} ms/char), pulse 0 ms, query delay 0 ms`);
// wire bytes per exchange: 8A/80 unlock 5 + 5 reply, query-all 5 + 7; Kerong unlock 5 (no reply) + status 5 + 9, status 5 + 9
// Kerong: the configured inter-frame gap (line idle between the pulse frame and the status read) counts as wire time
const unlock = await measure("unlock", KERONG ? 5 + 5 + 9 : 5 + 5, () => client.unlock(ADDRESS, 1), KERONG ? cfg.timeouts.interFrameGapMs : 0);
const queryAll = await measure("query-all", KERONG ? 5 + 9 : 5 + 7, () => client.queryAll(ADDRESS, 1));
const all = [...unlock, ...queryAll].sort((a, b) => a - b);
await bus.close();
await sim.stop();
console.log(
  `took ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores (pty/socat/simulator wake-ups dominate under load; host-side is lockerd's own code); goal software p50 ≤ 1 ms, p99 ≤ 5 ms`,
);
console.log(`bench:board protocol=${PROTOCOL} overhead_p50_ms=${f(pct(all, 50))} overhead_p99_ms=${f(pct(all, 99))}`);
