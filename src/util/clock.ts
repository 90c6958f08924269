/**
 * Time sources. Durations (door timers, lockouts, timeouts) use `monotonicMs`;
 * checks that need the true date (token expiry, signed-command windows,
 * overdue) use `wallMs` and must first ask `wallClockTrusted()`: a Raspberry Pi
 * boots with a wrong wall clock until NTP syncs.
 */
import { existsSync } from "node:fs";

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

/**
 * Whether the OS says its wall clock is synchronised. systemd-timesyncd
 * creates `<dir>/synchronized` once NTP has set the clock; until then a Pi
 * runs on the time fake-hwclock saved at the last shutdown, which is plausible
 * but wrong. Where timesyncd is not running (`<dir>` absent: chrony, a PC with
 * an RTC, a container) only the plausibility floor applies.
 */
export function timesyncSaysSynced(dir = "/run/systemd/timesync"): boolean {
  if (!existsSync(dir)) return true;
  return existsSync(`${dir}/synchronized`);
}

/** Re-read the sync marker at most this often, ms; once synced it stays trusted. */
const SYNC_RECHECK_MS = 5_000;

export function createSystemClock(timesyncDir?: string): Clock {
  let synced = false;
  let checkedAt = -Infinity;
  return {
    wallMs: () => Date.now(),
    monotonicMs: () => performance.now(),
    wallClockTrusted: () => {
      if (Date.now() < EARLIEST_PLAUSIBLE_WALL_MS) return false;
      if (!synced && performance.now() - checkedAt >= SYNC_RECHECK_MS) {
        checkedAt = performance.now();
        synced = timesyncSaysSynced(timesyncDir);
      }
      return synced;
    },
  };
}

export const systemClock: Clock = createSystemClock();

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
