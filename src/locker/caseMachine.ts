/**
 * The case lifecycle as a pure table of named transitions. Nothing else may
 * change a case's state: `nextCaseState` either returns the new state or
 * throws `Locker_IllegalTransition`.
 *
 *   dropoff_pending ─dropoffCompleted→ dropped_off ─staffCollected→ with_staff
 *   dropoff_pending ─dropoffCancelled→ cancelled
 *   with_staff ─returnStarted→ return_pending ─returnCompleted→ ready
 *   return_pending ─returnAborted→ with_staff
 *   ready ─pickupStarted→ collecting ─pickupCompleted→ collected
 *   collecting ─pickupAborted→ ready
 *   ready ─pinCapReached→ frozen ─pinReset→ ready
 *   ready | frozen ─staffCollected→ with_staff   (staff take back an uncollected result)
 *
 * "Overdue" is not a state: it is a flag on a ready case (see Sweeper).
 */
import type { CaseState } from "./events.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export type CaseTransition =
  | "dropoffCompleted"
  | "dropoffCancelled"
  | "staffCollected"
  | "returnStarted"
  | "returnCompleted"
  | "returnAborted"
  | "pickupStarted"
  | "pickupCompleted"
  | "pickupAborted"
  | "pinCapReached"
  | "pinReset";

/** Every legal transition: from state → to state. */
export const CASE_TRANSITIONS: Readonly<Record<CaseTransition, { from: readonly CaseState[]; to: CaseState }>> = {
  dropoffCompleted: { from: ["dropoff_pending"], to: "dropped_off" },
  dropoffCancelled: { from: ["dropoff_pending"], to: "cancelled" },
  staffCollected: { from: ["dropped_off", "ready", "frozen"], to: "with_staff" },
  returnStarted: { from: ["with_staff"], to: "return_pending" },
  returnCompleted: { from: ["return_pending"], to: "ready" },
  returnAborted: { from: ["return_pending"], to: "with_staff" },
  pickupStarted: { from: ["ready"], to: "collecting" },
  pickupCompleted: { from: ["collecting"], to: "collected" },
  pickupAborted: { from: ["collecting"], to: "ready" },
  pinCapReached: { from: ["ready"], to: "frozen" },
  pinReset: { from: ["frozen"], to: "ready" },
};

export const ALL_CASE_STATES: readonly CaseState[] = ["dropoff_pending", "dropped_off", "with_staff", "return_pending", "ready", "collecting", "collected", "cancelled", "frozen"];

/** States after which nothing more happens to a case. */
export const CLOSED_CASE_STATES: readonly CaseState[] = ["collected", "cancelled"];

/** States in which a case occupies a compartment (reserved or holding). */
export const COMPARTMENT_STATES: readonly CaseState[] = ["dropoff_pending", "dropped_off", "return_pending", "ready", "collecting", "frozen"];

/** Where `transition` takes a case in state `from`; throws `Locker_IllegalTransition` if it may not. */
export function nextCaseState(from: CaseState, transition: CaseTransition): CaseState {
  const t = CASE_TRANSITIONS[transition];
  if (!t || !t.from.includes(from)) {
    throw new LockerError(`a case that is ${from} cannot take the step "${transition}"`, ErrorCode.Locker_IllegalTransition, { from, transition });
  }
  return t.to;
}
