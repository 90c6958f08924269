/**
 * The periodic sweep: flag cases left uncollected past the hold period
 * (an `overdue` event, repeated every `overdueRepeatMs`) and purge the
 * personal data of cases closed more than `privacyPurgeDays` ago. Needs a
 * trusted wall clock; without one it does nothing. Reads only open cases and
 * the few closed ones still to stamp or purge, never the whole history.
 *
 * The purge cannot be undone, so it waits until the wall clock has been
 * trusted for PURGE_TRUST_MS of monotonic time without a jump; a jump (the
 * wall clock moving other than monotonic time does, e.g. a wrong-but-plausible
 * date corrected by NTP) restarts that wait. Overdue dates set by a wrong
 * clock are re-based when the clock is corrected, so alerts neither stop for a
 * year nor all fire at once.
 */
import type { CaseTransitions } from "./CaseTransitions.js";
import type { PinThrottle } from "./PinThrottle.js";
import { SYSTEM } from "./actors.js";

const DAY_MS = 86_400_000;
/** The wall clock must have been trusted, without a jump, this long before a purge, ms (1 h). */
export const PURGE_TRUST_MS = 3_600_000;
/** A change of (wall − monotonic) larger than this is a clock jump, ms. */
const JUMP_MS = 60_000;

export class Sweeper {
  /** Monotonic ms since when the wall clock has been trusted without a jump; undefined while untrusted. */
  private trustedSinceMono: number | undefined;
  private lastOffsetMs: number | undefined;

  constructor(
    private readonly t: CaseTransitions,
    private readonly throttle: PinThrottle,
  ) {}

  /** Track trust and jumps; true when an irreversible action may run now. */
  private clockSettled(): boolean {
    const { clock } = this.t;
    const mono = clock.monotonicMs();
    if (!clock.wallClockTrusted()) {
      this.trustedSinceMono = undefined;
      this.lastOffsetMs = undefined;
      return false;
    }
    const offset = clock.wallMs() - mono;
    const jumped = this.lastOffsetMs !== undefined && Math.abs(offset - this.lastOffsetMs) > JUMP_MS;
    this.lastOffsetMs = offset;
    if (jumped || this.trustedSinceMono === undefined) this.trustedSinceMono = mono;
    return !jumped && mono - this.trustedSinceMono >= PURGE_TRUST_MS;
  }

  sweep(): void {
    const { clock, ledger } = this.t;
    const settled = this.clockSettled();
    if (!clock.wallClockTrusted()) return;
    const now = clock.wallMs();
    const { holdDays, overdueRepeatMs, privacyPurgeDays } = this.t.config.rules;
    ledger.commit((tx) => {
      this.throttle.prune();
      for (const c of tx.cases.inStates(["ready", "frozen"])) {
        // Stamped by a wall clock that was ahead (a later correction moved it back): re-base on now.
        if (c.readyMs !== null && c.readyMs > now + DAY_MS) {
          tx.cases.update(c.id, { readyMs: now, overdueLastMs: c.overdueLastMs === null ? null : now });
          continue;
        }
        if (c.readyMs === null) {
          // Became ready while the clock was unsynchronised: the hold period starts now.
          tx.cases.update(c.id, { readyMs: now, readyAt: tx.nowIso });
          continue;
        }
        if (now - c.readyMs < holdDays * DAY_MS) continue;
        if (c.overdueLastMs !== null && c.overdueLastMs <= now && now - c.overdueLastMs < overdueRepeatMs) continue;
        tx.cases.update(c.id, { overdue: true, overdueLastMs: now });
        tx.event({
          type: "overdue",
          caseId: c.id,
          caseNumber: c.number,
          matter: c.matter,
          phone: c.phoneMasked,
          ...(c.compartment ? { compartment: c.compartment } : {}),
          detail: { readyAt: c.readyAt, holdDays },
        });
        tx.audit(SYSTEM, "overdue", "ok", { caseId: c.id, compartment: c.compartment ?? undefined });
      }
      for (const c of tx.cases.closedUnstamped()) tx.cases.update(c.id, { closedMs: now });
      if (!settled) return;
      for (const c of tx.cases.purgeable(now - privacyPurgeDays * DAY_MS)) {
        tx.cases.update(c.id, { phone: null, phoneMasked: "***", name: null, note: null, pinHash: null, purgedAt: tx.nowIso });
        tx.audit(SYSTEM, "privacy-purge", "ok", { caseId: c.id, reason: `closed more than ${privacyPurgeDays} days ago` });
      }
    });
  }
}
