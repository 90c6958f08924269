/** Domain → view mappings the API answers with. Phones leave masked unless staff asked for them. */
import type { CaseView } from "./LockerApi.js";
import type { CompartmentConfig } from "../config/LockerConfig.js";
import type { CompartmentSnapshot, DoorPrompt } from "./events.js";
import type { Case } from "./Case.js";
import type { Compartment } from "./Compartment.js";
import type { DoorState } from "../board/DoorHardware.js";

export function toCaseView(c: Case, unmasked = false): CaseView {
  return {
    id: c.id,
    number: c.number,
    state: c.state,
    matter: c.matter,
    phone: unmasked && c.phone ? c.phone : c.phoneMasked,
    ...(unmasked && c.name ? { name: c.name } : {}),
    ...(unmasked && c.note ? { note: c.note } : {}),
    ...(c.compartment !== null && c.closedAt === null ? { compartment: c.compartment } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.readyAt ? { readyAt: c.readyAt } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    failedPinAttempts: c.failedPins,
    overdue: c.overdue,
  };
}

/** `occupied`: item presence from boards that sense it; undefined (and left out) otherwise. */
export function toSnapshot(cfg: CompartmentConfig, row: Compartment | undefined, door: DoorState, caseNumber?: string, occupied?: boolean): CompartmentSnapshot {
  return {
    number: cfg.number,
    size: cfg.size,
    row: cfg.row,
    column: cfg.column,
    status: row?.status ?? "free",
    door,
    ...(row?.caseId ? { caseId: row.caseId } : {}),
    ...(caseNumber ? { caseNumber } : {}),
    ...(row?.faultReason ? { faultReason: row.faultReason } : {}),
    ...(occupied !== undefined ? { occupied } : {}),
  };
}

/** Door-prompt purpose for a pending case operation. */
export function promptPurpose(op: "dropoff" | "staff-collect" | "staff-return" | "pickup" | "staff-open"): DoorPrompt["purpose"] {
  return op;
}
