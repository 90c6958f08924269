/**
 * The append-only audit trail (table `audit`; triggers refuse UPDATE and
 * DELETE). Every state change and every door opening lands here with who,
 * why and the outcome. Phones appear masked only.
 */
import type { Actor, AuditEntry } from "../locker/LockerApi.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

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

/** Filter of a page of the trail (see AuditLog.page). */
export interface AuditPageFilter {
  sinceSeq?: number;
  beforeSeq?: number;
  sinceTime?: string;
  caseId?: string;
  /** At most this many; default 200. */
  limit?: number;
}

/** Reads one page of the audit trail, newest first. */
export type AuditPager = (filter: AuditPageFilter) => AuditEntry[];

export type AuditFields = Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>;

export class AuditLog {
  constructor(private readonly db: Db) {}

  /** Append one entry; returns its sequence number. */
  append(timeIso: string, actor: Actor, action: string, outcome: AuditEntry["outcome"], f: AuditFields = {}): number {
    // Who asked from where: the client (address, "backoffice:<id>") goes with every row that has one.
    const detail = actor.client !== undefined ? { ...(f.detail ?? {}), client: actor.client } : f.detail;
    const r = statement(
      this.db,
      `INSERT INTO audit (time, actor_kind, actor_id, actor_name, via, action, case_id, compartment, outcome, reason, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      timeIso,
      actor.kind,
      actor.id,
      actor.name ?? null,
      actor.via,
      action,
      f.caseId ?? null,
      f.compartment ?? null,
      outcome,
      f.reason ?? null,
      detail ? JSON.stringify(detail) : null,
    );
    return Number(r.lastInsertRowid);
  }

  /** Entries in order, oldest first, filtered; `limit` defaults to 200. */
  query(filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[] {
    return this.select(filter, "ASC");
  }

  /**
   * One page of the trail, newest first: the `limit` newest entries before
   * `beforeSeq` (exclusive; page back with the smallest seq of the last page),
   * at or after `sinceTime`, after `sinceSeq`.
   */
  page(filter: AuditPageFilter): AuditEntry[] {
    return this.select(filter, "DESC");
  }

  private select(filter: AuditPageFilter, order: "ASC" | "DESC"): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.sinceSeq !== undefined) where.push("seq > ?"), args.push(filter.sinceSeq);
    if (filter.beforeSeq !== undefined) where.push("seq < ?"), args.push(filter.beforeSeq);
    if (filter.sinceTime !== undefined) where.push("time >= ?"), args.push(filter.sinceTime);
    if (filter.caseId !== undefined) where.push("case_id = ?"), args.push(filter.caseId);
    const sql = `SELECT * FROM audit ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY seq ${order} LIMIT ?`;
    const rows = statement(this.db, sql).all(...args, filter.limit ?? 200) as AuditRow[];
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
