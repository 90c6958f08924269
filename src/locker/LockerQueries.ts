/** Read-only answers about cases, compartments and the audit trail (views, never rows). */
import type { DoorHardware } from "../board/DoorHardware.js";
import type { LockerConfig } from "../config/LockerConfig.js";
import { caseNotFound } from "./CaseTransitions.js";
import type { Ledger } from "./Ledger.js";
import type { AuditEntry, CaseView } from "./LockerApi.js";
import type { CaseState, CompartmentSnapshot } from "./events.js";
import { toCaseView, toSnapshot } from "./views.js";

export class LockerQueries {
  constructor(
    private readonly ledger: Ledger,
    private readonly config: LockerConfig,
    private readonly hardware: DoorHardware,
  ) {}

  /** By case id only (an unguessable UUID): a speakable number must not let anyone browse cases. */
  caseStatus(caseId: string): CaseView {
    const c = typeof caseId === "string" && caseId.length <= 64 ? this.ledger.cases.get(caseId) : undefined;
    if (!c) throw caseNotFound(String(caseId));
    return toCaseView(c);
  }

  listCases(filter: { state?: CaseState; limit?: number }): CaseView[] {
    return this.ledger.cases.list({ ...(filter.state ? { state: filter.state } : {}), limit: clampLimit(filter.limit, 100) }).map((c) => toCaseView(c));
  }

  audit(filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[] {
    return this.ledger.auditLog.query({ ...filter, limit: clampLimit(filter.limit, 200) });
  }

  /** Every configured compartment in configured order, with its status, door and case. */
  compartments(): CompartmentSnapshot[] {
    const rows = new Map(this.ledger.compartments.all().map((r) => [r.number, r]));
    return this.config.compartments.map((c) => {
      const row = rows.get(c.number);
      const caseNumber = row?.caseId ? this.ledger.cases.get(row.caseId)?.number : undefined;
      return toSnapshot(c, row, this.hardware.doorState(c.number), caseNumber, this.hardware.occupancy(c.number));
    });
  }
}

/** A caller's row limit clamped to 1–10,000; `fallback` when none is given. */
function clampLimit(limit: number | undefined, fallback: number): number {
  return typeof limit === "number" && Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 10_000) : fallback;
}
