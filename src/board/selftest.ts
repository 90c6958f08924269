/**
 * Commissioning self-test: every board answers, every channel reads; with
 * `cycle`, each compartment is unlocked in turn and must then read released.
 */
import type { CompartmentConfig } from "../config/LockerConfig.js";
import type { BoardReading, ChannelReading } from "./BoardClient.js";

export interface SelftestCheck {
  check: "board answers" | "channel reads" | "unlock releases";
  board: number;
  channel?: number;
  compartment?: number;
  ok: boolean;
  /** What was seen, in words a technician reads. */
  detail: string;
}

export interface SelftestReport {
  ok: boolean;
  cycle: boolean;
  checks: SelftestCheck[];
  tookMs: number;
}

export interface SelftestDeps {
  boards: number[];
  compartments: CompartmentConfig[];
  queryAll(board: number): Promise<BoardReading>;
  query(board: number, channel: number): Promise<ChannelReading>;
  /** Unlock through the normal path (so the monitor knows it was commanded). */
  unlock(compartment: number): Promise<{ pulses: number; acknowledged: boolean }>;
}

const why = (e: unknown) => (e as Error).message;

export async function runSelftest(deps: SelftestDeps, cycle: boolean): Promise<SelftestReport> {
  const started = performance.now();
  const checks: SelftestCheck[] = [];
  for (const board of deps.boards) {
    let reading: BoardReading | undefined;
    try {
      reading = await deps.queryAll(board);
      checks.push({ check: "board answers", board, ok: true, detail: `reply ${reading.replyHex}` });
    } catch (e) {
      checks.push({ check: "board answers", board, ok: false, detail: why(e) });
    }
    for (const c of deps.compartments.filter((x) => x.board === board)) {
      const ch = reading?.channels[c.channel - 1];
      checks.push({
        check: "channel reads",
        board,
        channel: c.channel,
        compartment: c.number,
        ok: ch !== undefined,
        detail: ch ? `${ch.shut ? "shut" : "open"} (input ${ch.level ? "closed" : "open"})` : "no reading",
      });
    }
  }
  if (cycle) {
    for (const c of deps.compartments) {
      const base = { check: "unlock releases" as const, board: c.board, channel: c.channel, compartment: c.number };
      try {
        const u = await deps.unlock(c.number);
        const after = await deps.query(c.board, c.channel);
        checks.push({
          ...base,
          ok: !after.shut,
          detail: `${u.pulses} pulse(s), ${u.acknowledged ? "acknowledged" : "not acknowledged"}, now reads ${after.shut ? "SHUT" : "released"}`,
        });
      } catch (e) {
        checks.push({ ...base, ok: false, detail: why(e) });
      }
    }
  }
  return { ok: checks.every((c) => c.ok), cycle, checks, tookMs: Math.round(performance.now() - started) };
}
