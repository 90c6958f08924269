/** Compartment status in SQLite (table `compartment`, migration 001): rows in, domain `Compartment` out. The door state is observed, never stored. */
import type { Compartment } from "../locker/Compartment.js";
import type { CompartmentStatus } from "../locker/events.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export interface CompartmentRow {
  number: number;
  status: CompartmentStatus;
  case_id: string | null;
  fault_reason: string | null;
  updated_at: string;
}

function toCompartment(r: CompartmentRow): Compartment {
  return { number: r.number, status: r.status, caseId: r.case_id, faultReason: r.fault_reason, updatedAt: r.updated_at };
}

export class CompartmentRepo {
  constructor(private readonly db: Db) {}

  /** Insert a free row for every configured compartment that has none yet (rows of removed compartments stay). */
  ensure(numbers: readonly number[], nowIso: string): void {
    const ins = statement(this.db, "INSERT OR IGNORE INTO compartment (number, status, updated_at) VALUES (?, 'free', ?)");
    for (const n of numbers) ins.run(n, nowIso);
  }

  get(n: number): Compartment | undefined {
    const row = statement(this.db, "SELECT * FROM compartment WHERE number = ?").get(n) as CompartmentRow | undefined;
    return row && toCompartment(row);
  }

  all(): Compartment[] {
    return (statement(this.db, "SELECT * FROM compartment ORDER BY number").all() as CompartmentRow[]).map(toCompartment);
  }

  set(n: number, status: CompartmentStatus, caseId: string | null, faultReason: string | null, nowIso: string): void {
    statement(this.db, "UPDATE compartment SET status = ?, case_id = ?, fault_reason = ?, updated_at = ? WHERE number = ?").run(status, caseId, faultReason, nowIso, n);
  }
}
