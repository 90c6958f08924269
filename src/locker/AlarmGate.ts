/**
 * De-duplicates alarms per kind and compartment (issue 9, item 8): under a
 * fault flood every refused drop-off used to write its own `no-free-compartment`
 * alarm (1,253 in four minutes), burying the one staff must read. The first
 * alarm of a (kind, compartment) goes out; repeats within `repeatMs` are only
 * counted; the next one after the interval goes out with `detail.suppressed`
 * (how many were held back since). Monotonic time, so a clock jump neither
 * floods nor silences.
 *
 * Not gated: `door-left-open` (it already repeats on its own period, and each
 * repeat asks someone to close a door) and `board-online` (the all-clear of a
 * `board-offline` staff has been told about).
 */
import type { AlarmKind } from "./events.js";

/** Default repeat interval of an identical alarm, ms (10 min). */
export const ALARM_REPEAT_MS = 10 * 60_000;

const UNGATED: ReadonlySet<AlarmKind> = new Set<AlarmKind>(["door-left-open", "board-online"]);

export class AlarmGate {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly monotonicMs: () => number,
    private readonly repeatMs = ALARM_REPEAT_MS,
  ) {}

  /**
   * Whether this alarm goes out now; when it does, `suppressed` says how many identical
   * ones were held back since the last that went out.
   */
  admit(kind: AlarmKind, compartment: number | undefined): { send: boolean; suppressed: number } {
    if (UNGATED.has(kind)) return { send: true, suppressed: 0 };
    const key = `${kind}:${compartment ?? "-"}`;
    const now = this.monotonicMs();
    const prev = this.last.get(key);
    if (prev && now - prev.atMs < this.repeatMs) {
      prev.suppressed++;
      return { send: false, suppressed: prev.suppressed };
    }
    this.last.set(key, { atMs: now, suppressed: 0 });
    return { send: true, suppressed: prev?.suppressed ?? 0 };
  }
}
