/** Row → view mappings the API answers with. Phones leave masked unless staff asked for them. */
import type { CaseView } from "./LockerApi.js";
import type { CompartmentConfig } from "../config/LockerConfig.js";
import type { CompartmentSnapshot, DoorPrompt } from "./events.js";
import type { CaseRow } from "../store/CaseRepo.js";
import type { CompartmentRow } from "../store/CompartmentRepo.js";
import type { DoorState } from "../board/DoorHardware.js";

export function toCaseView(r: CaseRow, unmasked = false): CaseView {
  return {
    id: r.id,
    number: r.number,
    state: r.state,
    matter: r.matter,
    phone: unmasked && r.phone ? r.phone : r.phone_masked,
    ...(unmasked && r.name ? { name: r.name } : {}),
    ...(unmasked && r.note ? { note: r.note } : {}),
    ...(r.compartment !== null && r.closed_at === null ? { compartment: r.compartment } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.ready_at ? { readyAt: r.ready_at } : {}),
    ...(r.closed_at ? { closedAt: r.closed_at } : {}),
    failedPinAttempts: r.failed_pins,
    overdue: r.overdue === 1,
  };
}

export function toSnapshot(cfg: CompartmentConfig, row: CompartmentRow | undefined, door: DoorState, caseNumber?: string): CompartmentSnapshot {
  return {
    number: cfg.number,
    size: cfg.size,
    row: cfg.row,
    column: cfg.column,
    status: row?.status ?? "free",
    door,
    ...(row?.case_id ? { caseId: row.case_id } : {}),
    ...(caseNumber ? { caseNumber } : {}),
    ...(row?.fault_reason ? { faultReason: row.fault_reason } : {}),
  };
}

/** Door-prompt purpose for a pending case operation. */
export function promptPurpose(op: "dropoff" | "staff-collect" | "staff-return" | "pickup" | "staff-open"): DoorPrompt["purpose"] {
  return op;
}
