/**
 * Start-up reconciliation (run by `LockerService.start()` after the first
 * poll): settle every interrupted door cycle from what the doors say now
 * (rules in reconcile.ts / RECONCILIATION.md), free compartments reserved or
 * held for no live case, and watch doors found open.
 */
import type { LockerService } from "./LockerService.js";
import { SYSTEM } from "./actors.js";
import { COMPARTMENT_STATES } from "./caseMachine.js";
import { reconcileDecision } from "./reconcile.js";

const RECONCILER = { ...SYSTEM, id: "reconcile" };

/** Settle what a crash or power cut left half-done. */
export function reconcileOnStart(s: LockerService): void {
  const hw = s.hardware;
  for (const c of s.ledger.cases.withPendingOp()) {
    s.safely(`reconcile case ${c.number}`, () => {
      if (c.compartment === null) {
        s.ledger.cases.update(c.id, { pending_op: null, pending_phase: null });
        return;
      }
      const door = hw.doorState(c.compartment);
      const d = reconcileDecision(c.pending_op!, c.pending_phase ?? "reserved", door);
      const detail = { reconciled: true, door, phase: c.pending_phase };
      if (d.kind === "resume") {
        s.ledger.commit((tx) => tx.audit(RECONCILER, "reconcile-resume", "ok", { caseId: c.id, compartment: c.compartment!, detail: { ...detail, op: c.pending_op } }));
        s.resumeCycle(c, d.phase);
      } else if (d.kind === "complete") {
        s.ledger.commit((tx) => {
          tx.audit(RECONCILER, "reconcile-complete", "ok", { caseId: c.id, compartment: c.compartment!, detail: { ...detail, op: c.pending_op } });
          s.rules.completeOp(tx, c, c.pending_op!, RECONCILER, detail);
        });
      } else {
        s.ledger.commit((tx) => {
          tx.audit(RECONCILER, "reconcile-abort", "ok", { caseId: c.id, compartment: c.compartment!, detail: { ...detail, op: c.pending_op } });
          s.rules.abortOp(tx, c, c.pending_op!, RECONCILER, "interrupted by a restart; the door was never seen open");
        });
      }
    });
  }
  // No compartment stays reserved or held for a case that no longer needs it.
  s.ledger.commit((tx) => {
    for (const comp of s.ledger.compartments.all()) {
      if (comp.status !== "reserved" && comp.status !== "holding") continue;
      const c = comp.case_id ? s.ledger.cases.get(comp.case_id) : undefined;
      const live = c && COMPARTMENT_STATES.includes(c.state) && c.compartment === comp.number;
      if (live) continue;
      s.ledger.compartments.set(comp.number, "free", null, null, tx.nowIso);
      tx.compartmentsChanged();
      tx.audit(RECONCILER, "reconcile-free", "ok", { compartment: comp.number, reason: `was ${comp.status} for no live case`, ...(c ? { caseId: c.id } : {}) });
    }
  });
  for (const [n, state] of hw.doorStates()) if (state === "open" && !s.doors.busy(n)) s.doors.trackOpenDoor(n);
}
