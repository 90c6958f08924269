/**
 * Start-up reconciliation (run by `LockerService.start()` after the first
 * poll): settle every interrupted door cycle from what the doors say now
 * (rules in reconcile.ts / RECONCILIATION.md), free compartments reserved or
 * held for no live case, and watch doors found open. Every change is written
 * in a transaction through `CaseTransitions` / `CaseOutcomes`.
 */
import { SYSTEM } from "./actors.js";
import { COMPARTMENT_STATES } from "./caseMachine.js";
import type { CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import { reconcileDecision } from "./reconcile.js";

const RECONCILER = { ...SYSTEM, id: "reconcile" };

/**
 * Settle what a crash or power cut left half-done. Also run when storage
 * recovers after refusing writes (`after: "storage"`): a cycle whose outcome
 * could not be recorded and was not kept for `retryStalled` is settled from
 * what its door says now, by the same rules; doors still in use are left to
 * their cycle.
 */
export function reconcileOnStart(t: CaseTransitions, outcomes: CaseOutcomes, after: "restart" | "storage" = "restart"): void {
  const { hardware: hw, ledger } = t;
  for (const c of ledger.cases.withPendingOp()) {
    if (c.compartment !== null && t.doorInUse(c.compartment)) continue;
    t.safely(`reconcile case ${c.number}`, () => {
      if (c.compartment === null) {
        ledger.commit((tx) => tx.cases.update(c.id, { pendingOp: null, pendingPhase: null }));
        return;
      }
      const door = hw.doorState(c.compartment);
      const op = c.pendingOp!;
      const d = reconcileDecision(op, c.pendingPhase ?? "reserved", door, hw.occupancy(c.compartment));
      const detail = { reconciled: true, door, phase: c.pendingPhase, ...(after === "storage" ? { after } : {}) };
      const fields = { caseId: c.id, compartment: c.compartment, detail: { ...detail, op } };
      if (d.kind === "resume") {
        ledger.commit((tx) => tx.audit(RECONCILER, "reconcile-resume", "ok", fields));
        t.follow({ compartment: c.compartment, purpose: op, caseId: c.id, caseNumber: c.number, phase: d.phase, actor: SYSTEM });
      } else if (d.kind === "complete") {
        ledger.commit((tx) => {
          tx.audit(RECONCILER, "reconcile-complete", "ok", fields);
          outcomes.completeOp(tx, c, op, RECONCILER, detail);
        });
      } else {
        ledger.commit((tx) => {
          tx.audit(RECONCILER, "reconcile-abort", "ok", fields);
          outcomes.abortOp(
            tx,
            c,
            op,
            RECONCILER,
            `interrupted by a ${after === "storage" ? "storage failure" : "restart"}; ${d.empty ? "the compartment is empty" : "the door was never seen open"}`,
          );
        });
      }
    });
  }
  // No compartment stays reserved or held for a case that no longer needs it.
  ledger.commit((tx) => {
    for (const comp of tx.compartments.all()) {
      if (comp.status !== "reserved" && comp.status !== "holding") continue;
      const c = comp.caseId ? tx.cases.get(comp.caseId) : undefined;
      const live = c && COMPARTMENT_STATES.includes(c.state) && c.compartment === comp.number;
      if (live) continue;
      t.freeCompartment(tx, comp.number);
      tx.audit(RECONCILER, "reconcile-free", "ok", { compartment: comp.number, reason: `was ${comp.status} for no live case`, ...(c ? { caseId: c.id } : {}) });
    }
  });
  for (const [n, state] of hw.doorStates()) if (state === "open" && !t.doors.busy(n)) t.doors.trackOpenDoor(n);
}
