/**
 * How a door operation ends, inside a `Tx`: a cycle counted as done, one
 * undone, a reservation released, a lock fault, no free compartment. Used by
 * the desks, the door rules and start-up reconciliation alike, so each ending
 * is written one way only.
 */
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Case, PendingOp } from "./Case.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { Tx } from "./Ledger.js";
import type { Actor } from "./LockerApi.js";

export class CaseOutcomes {
  constructor(private readonly t: CaseTransitions) {}

  /** Count a door cycle of case `c` as done. */
  completeOp(tx: Tx, c: Case, op: PendingOp, actor: Actor, detail: Record<string, unknown> = {}): void {
    const n = c.compartment!;
    const ev = { caseId: c.id, caseNumber: c.number, compartment: n, matter: c.matter, phone: c.phoneMasked, ...(Object.keys(detail).length ? { detail } : {}) };
    const clear = { pendingOp: null, pendingPhase: null } as const;
    switch (op) {
      case "dropoff":
        this.t.moveCase(tx, c, "dropoffCompleted", clear, actor);
        this.t.moveCompartment(tx, n, "fill", c.id);
        tx.event({ type: "dropoff", ...ev });
        break;
      case "staff-collect":
        this.t.moveCase(tx, c, "staffCollected", { ...clear, compartment: null }, actor);
        this.t.moveCompartment(tx, n, "empty", null);
        break;
      case "staff-return":
        this.t.moveCase(tx, c, "returnCompleted", clear, actor);
        this.t.moveCompartment(tx, n, "fill", c.id);
        tx.event({ type: "ready", ...ev });
        break;
      case "pickup":
        this.t.moveCase(tx, c, "pickupCompleted", clear, actor);
        this.t.moveCompartment(tx, n, "empty", null);
        tx.event({ type: "collected", ...ev });
        break;
    }
  }

  /** Undo a door cycle of case `c` that never happened. */
  abortOp(tx: Tx, c: Case, op: PendingOp, actor: Actor, why: string): void {
    const n = c.compartment!;
    switch (op) {
      case "dropoff":
      case "staff-return":
        this.abortReserved(tx, c, n, op, actor, why);
        break;
      case "staff-collect":
        this.t.touchCase(tx, c.id, { pendingOp: null, pendingPhase: null });
        tx.audit(actor, "staff-collect", "failed", { caseId: c.id, compartment: n, reason: why });
        break;
      case "pickup":
        this.t.moveCase(tx, c, "pickupAborted", { pendingOp: null, pendingPhase: null }, actor);
        break;
    }
  }

  /** Undo a reservation whose door never opened: drop-off cancelled, return back to staff; the compartment is freed. */
  abortReserved(tx: Tx, c: Case, n: number, op: "dropoff" | "staff-return", actor: Actor, why: string): void {
    const comp = tx.compartments.get(n)!;
    if (comp.status === "reserved" && comp.caseId === c.id) this.t.moveCompartment(tx, n, "release", null);
    if (op === "dropoff") {
      this.t.moveCase(tx, c, "dropoffCancelled", { pendingOp: null, pendingPhase: null }, actor);
      tx.event({ type: "cancelled", caseId: c.id, caseNumber: c.number, compartment: n, matter: c.matter, phone: c.phoneMasked, message: why });
    } else this.t.moveCase(tx, c, "returnAborted", { pendingOp: null, pendingPhase: null, compartment: null }, actor);
  }

  /** A lock that did not release: the compartment is taken out of use (or, holding a pouch, flagged) and a technician alerted. */
  lockFault(tx: Tx, n: number, message: string, actor: Actor, c?: Pick<Case, "id" | "number">): void {
    const comp = tx.compartments.get(n)!;
    const reason = `lock did not open: ${message}`;
    if (comp.status === "free" || comp.status === "reserved") this.t.moveCompartment(tx, n, "fault", null, reason);
    // A compartment holding a pouch stays holding (the case still needs it); the fault is noted beside it.
    else this.t.noteCompartmentFault(tx, n, reason);
    this.t.alarm(
      tx,
      "lock-fault",
      `the lock of door ${n} did not open; a technician should check it`,
      { compartment: n, ...(c ? { caseId: c.id, caseNumber: c.number } : {}), detail: { error: message } },
      actor,
    );
  }

  /** Audit a refusal for want of a free compartment and alert staff. */
  noFreeCompartment(tx: Tx, actor: Actor, op: string, caseId?: string): void {
    tx.audit(actor, op, "refused", { reason: "no free compartment", ...(caseId ? { caseId } : {}) });
    this.t.alarm(tx, "no-free-compartment", `a ${op} was refused: no free compartment is left`, caseId ? { caseId } : {});
  }
}

/** The refusal a resident hears when no compartment can be opened. */
export function noFree(): LockerError {
  return new LockerError("all compartments are in use right now; please come back later or ask the staff", ErrorCode.Locker_NoFreeCompartment);
}
