/**
 * Start-up reconciliation rules (pure): what to do with a case whose door
 * cycle was interrupted by a crash or power cut, given what its door says now.
 * The full rules and their reasons are in RECONCILIATION.md. One principle:
 * when unsure, keep the compartment held — a drop-off or return that may have
 * happened counts; a collection that may not have happened does not.
 */
import type { DoorState } from "../board/DoorHardware.js";
import type { PendingOp, PendingPhase } from "./Case.js";

export type ReconcileDecision =
  /** Follow the door again from `phase` (door open now, or unknown). */
  | { kind: "resume"; phase: "unlocked" | "opened" }
  /** Count the cycle as done (as if the door had been seen to close). */
  | { kind: "complete" }
  /** Undo the operation (as if the door had never opened); `empty`: the board's item sensor reads nothing inside. */
  | { kind: "abort"; empty?: true };

/**
 * @param occupied item presence from a board that senses it (Kerong); undefined without a sensor.
 * A drop-off or return behind a closed door counts only if the sensor (when there is one) sees something inside.
 */
export function reconcileDecision(op: PendingOp, phase: PendingPhase, door: DoorState, occupied?: boolean): ReconcileDecision {
  if (door === "open") return { kind: "resume", phase: "opened" };
  if (door === "closed" && occupied === false && (op === "dropoff" || op === "staff-return")) return { kind: "abort", empty: true };
  // Unknown (board silent at start): a cycle seen open waits for its close; otherwise the closed-door rule below keeps it held.
  if (door === "unknown" && phase === "opened") return { kind: "resume", phase: "opened" };
  if (phase === "opened") return { kind: "complete" };
  // Closed (or unknown), never seen open: the lock may have released while we were down.
  switch (op) {
    case "dropoff":
    case "staff-return":
      return { kind: "complete" };
    case "staff-collect":
    case "pickup":
      return { kind: "abort" };
  }
}
