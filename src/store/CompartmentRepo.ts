/** Compartment status in SQLite (table `compartment`, migration 001). The door state is observed, never stored. */
import type { CompartmentStatus } from "../locker/events.js";
import type { Db } from "./openDatabase.js";

export interface CompartmentRow {
  number: number;
  status: CompartmentStatus;
  case_id: string | null;
  fault_reason: string | null;
  updated_at: string;
}

export class CompartmentRepo {
  constructor(private readonly db: Db) {}

  /** Insert a free row for every configured compartment that has none yet (rows of removed compartments stay). */
  ensure(numbers: readonly number[], nowIso: string): void {
    const ins = this.db.prepare("INSERT OR IGNORE INTO compartment (number, status, updated_at) VALUES (?, 'free', ?)");
    for (const n of numbers) ins.run(n, nowIso);
  }

  get(n: number): CompartmentRow | undefined {
    return this.db.prepare("SELECT * FROM compartment WHERE number = ?").get(n) as CompartmentRow | undefined;
  }

  all(): CompartmentRow[] {
    return this.db.prepare("SELECT * FROM compartment ORDER BY number").all() as CompartmentRow[];
  }

  set(n: number, status: CompartmentStatus, caseId: string | null, faultReason: string | null, nowIso: string): void {
    this.db.prepare("UPDATE compartment SET status = ?, case_id = ?, fault_reason = ?, updated_at = ? WHERE number = ?").run(status, caseId, faultReason, nowIso, n);
  }
}
