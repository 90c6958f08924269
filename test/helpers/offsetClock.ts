/**
 * A clock that runs in real time (so the board poller, door timers and HTTP
 * keep working) but that a test can jump forward: `advance(5 * 60_000)` is a
 * resident who waited five minutes, for every wall and monotonic reading the
 * daemon takes from then on.
 */
import type { Clock } from "../../src/util/clock.js";

export class OffsetClock implements Clock {
  private offsetMs = 0;
  wallMs(): number {
    return Date.now() + this.offsetMs;
  }
  monotonicMs(): number {
    return performance.now() + this.offsetMs;
  }
  wallClockTrusted(): boolean {
    return true;
  }
  /** Jump both clocks forward by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
