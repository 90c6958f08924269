/**
 * Start-up reconciliation rules (pure): what to do with a case whose door
 * cycle was interrupted by a crash or power cut, given what its door says now.
 * The full rules and their reasons are in RECONCILIATION.md. One principle:
 * when unsure, keep the compartment held — a drop-off or return that may have
 * happened counts; a collection that may not have happened does not.
 */
import type { DoorState } from "../board/DoorHardware.js";
import type { PendingOp, PendingPhase } from "../store/CaseRepo.js";

export type ReconcileDecision =
  /** Follow the door again from `phase` (door open now, or unknown). */
  | { kind: "resume"; phase: "unlocked" | "opened" }
  /** Count the cycle as done (as if the door had been seen to close). */
  | { kind: "complete" }
  /** Undo the operation (as if the door had never opened). */
  | { kind: "abort" };

export function reconcileDecision(op: PendingOp, phase: PendingPhase, door: DoorState): ReconcileDecision {
  if (door === "open") return { kind: "resume", phase: "opened" };
  if (door === "unknown") return { kind: "resume", phase: phase === "opened" ? "opened" : "unlocked" };
  if (phase === "opened") return { kind: "complete" };
  // Closed, never seen open: the lock may have released while we were down.
  switch (op) {
    case "dropoff":
    case "staff-return":
      return { kind: "complete" };
    case "staff-collect":
    case "pickup":
      return { kind: "abort" };
  }
}
