/**
 * The periodic sweep: flag cases left uncollected past the hold period
 * (an `overdue` event, repeated every `overdueRepeatMs`) and purge the
 * personal data of cases closed more than `privacyPurgeDays` ago. Needs a
 * trusted wall clock; without one it does nothing.
 */
import type { CaseTransitions } from "./CaseTransitions.js";
import type { PinThrottle } from "./PinThrottle.js";
import { SYSTEM } from "./actors.js";

const DAY_MS = 86_400_000;

export class Sweeper {
  constructor(
    private readonly t: CaseTransitions,
    private readonly throttle: PinThrottle,
  ) {}

  sweep(): void {
    const { clock, ledger } = this.t;
    if (!clock.wallClockTrusted()) return;
    const now = clock.wallMs();
    const { holdDays, overdueRepeatMs, privacyPurgeDays } = this.t.config.rules;
    ledger.commit((tx) => {
      this.throttle.prune();
      for (const c of tx.cases.inStates(["ready", "frozen"])) {
        if (c.readyMs === null) {
          // Became ready while the clock was unsynchronised: the hold period starts now.
          tx.cases.update(c.id, { readyMs: now, readyAt: tx.nowIso });
          continue;
        }
        if (now - c.readyMs < holdDays * DAY_MS) continue;
        if (c.overdueLastMs !== null && now - c.overdueLastMs < overdueRepeatMs) continue;
        tx.cases.update(c.id, { overdue: true, overdueLastMs: now });
        tx.event({ type: "overdue", caseId: c.id, caseNumber: c.number, matter: c.matter, phone: c.phoneMasked, ...(c.compartment ? { compartment: c.compartment } : {}), detail: { readyAt: c.readyAt, holdDays } });
        tx.audit(SYSTEM, "overdue", "ok", { caseId: c.id, compartment: c.compartment ?? undefined });
      }
      for (const c of tx.cases.inStates(["collected", "cancelled"])) {
        if (c.closedMs === null && c.purgedAt === null) tx.cases.update(c.id, { closedMs: now });
      }
      for (const c of tx.cases.purgeable(now - privacyPurgeDays * DAY_MS)) {
        tx.cases.update(c.id, { phone: null, phoneMasked: "***", name: null, note: null, pinHash: null, purgedAt: tx.nowIso });
        tx.audit(SYSTEM, "privacy-purge", "ok", { caseId: c.id, reason: `closed more than ${privacyPurgeDays} days ago` });
      }
    });
  }
}
