/**
 * npm run bench:board — round-trip cost of the board layer on a simulated
 * 9600-baud line. The simulator (over a real pty via socat) paces every byte
 * at 10 bits per character and answers with zero processing delay (pulse 0 ms),
 * so total − wire time of request and reply = the software's share (ours, the
 * OS pty, the simulator's own scheduling; an upper bound on ours).
 * 500 unlocks and 500 query-alls; 10 ms idle between exchanges, as between
 * polls, so the 5 ms inter-frame gap never adds to a measured exchange.
 */
import { BoardBus } from "../src/board/BoardBus.js";
import { BoardClient } from "../src/board/BoardClient.js";
import { createTransport } from "../src/board/createTransport.js";
import { Codec8A80 } from "../src/protocol/Codec8A80.js";
import { defaultConfig } from "../src/config/defaults.js";
import { startSimulator } from "../hardware/simulator/startSimulator.js";
import { cpus, loadavg } from "node:os";

const BAUD = 9600;
const N = Number(process.env.BENCH_N ?? 500);
const charMs = 10_000 / BAUD;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const f = (x: number) => x.toFixed(3);

const sim = await startSimulator({ transport: "pty", boards: [{ address: 1 }], paceBaud: BAUD, pulseMs: 0, queryDelayMs: 0 });
sim.control.board(1).setBehaviour(1, { behaviour: "walkAway", relatchAfterMs: 3_600_000 });
const cfg = { ...defaultConfig().bus, transport: sim.transport, baudRate: BAUD };
const transport = createTransport(cfg);
await transport.open();
const bus = new BoardBus(transport, Codec8A80, cfg.timeouts);
const client = new BoardClient(bus, Codec8A80, cfg.boards, cfg);
const pause = () => new Promise((r) => setTimeout(r, 10));
// Host-side share only: from the call to the TX frame being handed to the OS, plus from the last
// received chunk to the caller resuming. Excludes the pty, socat and the simulator.
let txAt = 0;
let lastRxAt = 0;
bus.on("frame", (fr) => fr.dir === "tx" && (txAt = performance.now()));
transport.on("data", () => (lastRxAt = performance.now()));

async function measure(name: string, wireBytes: number, op: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await op(); // warm-up: JIT, pty buffers
  await pause();
  const totals: number[] = [];
  const host: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await op();
    const t1 = performance.now();
    totals.push(t1 - t0);
    host.push(txAt - t0 + (t1 - lastRxAt));
    await pause();
  }
  host.sort((a, b) => a - b);
  const wire = wireBytes * charMs;
  const over = totals.map((t) => t - wire).sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(9)} n=${N} wire=${f(wire)}ms total p50=${f(pct(totals, 50))} p99=${f(pct(totals, 99))} max=${f(totals.at(-1)!)} | software p50=${f(pct(over, 50))} p99=${f(pct(over, 99))} ms | host-side p50=${f(pct(host, 50))} p99=${f(pct(host, 99))} ms`,
  );
  return over;
}

const started = performance.now();
console.log(`bench:board  protocol 8A/80 over a pty (socat), simulator paced at ${BAUD} baud (${f(charMs)} ms/char), pulse 0 ms, query delay 0 ms`);
const unlock = await measure("unlock", 5 + 5, () => client.unlock(1, 1));
const queryAll = await measure("query-all", 5 + 7, () => client.queryAll(1, 1));
const all = [...unlock, ...queryAll].sort((a, b) => a - b);
await bus.close();
await sim.stop();
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores (pty/socat/simulator wake-ups dominate under load; host-side is lockerd's own code); goal software p50 ≤ 1 ms, p99 ≤ 5 ms`);
console.log(`bench:board overhead_p50_ms=${f(pct(all, 50))} overhead_p99_ms=${f(pct(all, 99))}`);
