/**
 * The append-only audit trail (table `audit`; triggers refuse UPDATE and
 * DELETE). Every state change and every door opening lands here with who,
 * why and the outcome. Phones appear masked only.
 */
import type { Actor, AuditEntry } from "../locker/LockerApi.js";
import type { Db } from "./openDatabase.js";

interface AuditRow {
  seq: number;
  time: string;
  actor_kind: Actor["kind"];
  actor_id: string;
  actor_name: string | null;
  via: string;
  action: string;
  case_id: string | null;
  compartment: number | null;
  outcome: AuditEntry["outcome"];
  reason: string | null;
  detail: string | null;
}

export type AuditFields = Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>;

export class AuditLog {
  constructor(private readonly db: Db) {}

  /** Append one entry; returns its sequence number. */
  append(timeIso: string, actor: Actor, action: string, outcome: AuditEntry["outcome"], f: AuditFields = {}): number {
    // Who asked from where: the client (address, "backoffice:<id>") goes with every row that has one.
    const detail = actor.client !== undefined ? { ...(f.detail ?? {}), client: actor.client } : f.detail;
    const r = this.db
      .prepare(
        `INSERT INTO audit (time, actor_kind, actor_id, actor_name, via, action, case_id, compartment, outcome, reason, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(timeIso, actor.kind, actor.id, actor.name ?? null, actor.via, action, f.caseId ?? null, f.compartment ?? null, outcome, f.reason ?? null, detail ? JSON.stringify(detail) : null);
    return Number(r.lastInsertRowid);
  }

  /** Entries in order, oldest first, filtered; `limit` defaults to 200. */
  query(filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.sinceSeq !== undefined) (where.push("seq > ?"), args.push(filter.sinceSeq));
    if (filter.sinceTime !== undefined) (where.push("time >= ?"), args.push(filter.sinceTime));
    if (filter.caseId !== undefined) (where.push("case_id = ?"), args.push(filter.caseId));
    const sql = `SELECT * FROM audit ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY seq LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 200) as AuditRow[];
    return rows.map((r) => ({
      seq: r.seq,
      time: r.time,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      ...(r.actor_name ? { actorName: r.actor_name } : {}),
      via: r.via,
      action: r.action,
      ...(r.case_id ? { caseId: r.case_id } : {}),
      ...(r.compartment !== null ? { compartment: r.compartment } : {}),
      outcome: r.outcome,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
    }));
  }
}
