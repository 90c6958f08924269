/**
 * Rate limit for refused remote commands in the audit trail and the log. A
 * flood of bad-signature commands (thousands a second) must not fill the SD
 * card or bury the one line that matters, yet nothing may vanish: past
 * `perMinute` detailed refusals in a window, each further one is counted by
 * reason, and at the end of the window one summary row and one warning say
 * how many were refused and why. Monotonic time. The public HTTP app uses
 * one for its "request refused" log lines (with no audit summary: the audit
 * aggregates PIN refusals itself).
 */
import type { Logger } from "pino";
import type { Clock } from "../util/clock.js";

/** One summary row per window, ms. */
export const DIGEST_WINDOW_MS = 60_000;

export interface RefusalSummary {
  /** Refusals counted but not audited one by one in the window. */
  count: number;
  /** reason → count */
  reasons: Record<string, number>;
  windowMs: number;
}

export class RefusalDigest {
  private windowStart = 0;
  private detailed = 0;
  private suppressed = 0;
  private reasons: Record<string, number> = {};
  private timer?: NodeJS.Timeout;

  /**
   * @param perMinute refusals audited and logged one by one per window (`mqtt.commands.refusalsAuditedPerMinute`).
   * @param writeSummary writes the summary audit row (the locker's audit trail).
   */
  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly writeSummary: (s: RefusalSummary) => void,
  ) {}

  /** True: audit and log this refusal in full. False: it was counted for the summary. */
  admit(reason: string): boolean {
    const now = this.clock.monotonicMs();
    if (now - this.windowStart >= DIGEST_WINDOW_MS) {
      this.flush();
      this.windowStart = now;
      this.detailed = 0;
    }
    if (this.detailed < this.perMinute) {
      this.detailed += 1;
      return true;
    }
    this.suppressed += 1;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    return false;
  }

  /** Write the summary of what was counted (if anything); called each window and on stop. */
  flush(): void {
    if (this.suppressed === 0) return;
    const summary: RefusalSummary = { count: this.suppressed, reasons: this.reasons, windowMs: DIGEST_WINDOW_MS };
    this.suppressed = 0;
    this.reasons = {};
    this.log.warn(summary, `${summary.count} more refusals in the last minute (counted here, not logged one by one)`);
    try {
      this.writeSummary(summary);
    } catch (err) {
      this.log.error({ err: (err as Error)?.message }, "could not write the refused-commands summary to the audit trail");
    }
  }

  /** Flush every window even when the flood stopped. */
  start(): void {
    this.timer = setInterval(() => this.flush(), DIGEST_WINDOW_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
