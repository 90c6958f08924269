/**
 * Compartment status as a pure table of named transitions, beside which the
 * observed door state is kept (a compartment can be `free` with its door open).
 *
 *   free ─reserve→ reserved ─fill→ holding ─empty→ free
 *   reserved ─release→ free
 *   free | reserved ─fault→ faulty ─repair→ free
 *   free | faulty ─disable→ disabled ─enable→ free
 */
import type { CompartmentStatus } from "./events.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export type CompartmentTransition = "reserve" | "fill" | "empty" | "release" | "fault" | "repair" | "disable" | "enable";

export const COMPARTMENT_TRANSITIONS: Readonly<Record<CompartmentTransition, { from: readonly CompartmentStatus[]; to: CompartmentStatus }>> = {
  reserve: { from: ["free"], to: "reserved" },
  fill: { from: ["reserved"], to: "holding" },
  empty: { from: ["holding"], to: "free" },
  release: { from: ["reserved"], to: "free" },
  fault: { from: ["free", "reserved"], to: "faulty" },
  repair: { from: ["faulty"], to: "free" },
  disable: { from: ["free", "faulty"], to: "disabled" },
  enable: { from: ["disabled"], to: "free" },
};

export const ALL_COMPARTMENT_STATUSES: readonly CompartmentStatus[] = ["free", "reserved", "holding", "faulty", "disabled"];

/** Where `transition` takes a compartment in status `from`; throws `Locker_IllegalTransition` if it may not. */
export function nextCompartmentStatus(from: CompartmentStatus, transition: CompartmentTransition): CompartmentStatus {
  const t = COMPARTMENT_TRANSITIONS[transition];
  if (!t || !t.from.includes(from)) {
    throw new LockerError(`a compartment that is ${from} cannot take the step "${transition}"`, ErrorCode.Locker_IllegalTransition, { from, transition });
  }
  return t.to;
}
