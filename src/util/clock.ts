/**
 * Time sources. Durations (door timers, lockouts, timeouts) use `monotonicMs`;
 * checks that need the true date (token expiry, signed-command windows,
 * overdue) use `wallMs` and must first ask `wallClockTrusted()`: a Raspberry Pi
 * boots with a wrong wall clock until NTP syncs.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as the system believes. */
  wallMs(): number;
  /** Milliseconds on a clock that never jumps (performance.now based). */
  monotonicMs(): number;
  /** False while the wall clock is known or suspected to be wrong (not NTP-synced, before the build date). */
  wallClockTrusted(): boolean;
}

/** Build time floor: a wall clock earlier than this cannot be right. */
export const EARLIEST_PLAUSIBLE_WALL_MS = Date.UTC(2026, 0, 1);

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
  wallClockTrusted: () => Date.now() >= EARLIEST_PLAUSIBLE_WALL_MS,
};

/** A clock tests drive by hand. */
export class ManualClock implements Clock {
  constructor(
    private wall = Date.UTC(2026, 10, 27, 12, 0, 0),
    private mono = 1_000,
    public trusted = true,
  ) {}
  wallMs(): number {
    return this.wall;
  }
  monotonicMs(): number {
    return this.mono;
  }
  wallClockTrusted(): boolean {
    return this.trusted;
  }
  /** Move both clocks forward by `ms`. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
  /** Jump only the wall clock (NTP sync after boot). */
  setWall(ms: number): void {
    this.wall = ms;
  }
}
