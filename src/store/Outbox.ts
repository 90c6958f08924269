/**
 * The event outbox (table `outbox`). `append` must be called inside the same
 * transaction as the state change that causes the event; the relay (MQTT)
 * reads it through `OutboxReader` and marks entries sent. Sent rows are kept.
 */
import type { LockerEvent, OutboxEntry, OutboxReader } from "../locker/events.js";
import type { Db } from "./openDatabase.js";

export class Outbox implements OutboxReader {
  constructor(private readonly db: Db) {}

  /** Append `event`; returns its sequence number. */
  append(event: LockerEvent): number {
    const r = this.db.prepare("INSERT INTO outbox (id, type, event, created_at) VALUES (?, ?, ?, ?)").run(event.id, event.type, JSON.stringify(event), event.time);
    return Number(r.lastInsertRowid);
  }

  pending(limit: number): OutboxEntry[] {
    const rows = this.db.prepare("SELECT seq, event FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?").all(limit) as { seq: number; event: string }[];
    return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as LockerEvent }));
  }

  markSent(seq: number): void {
    this.db.prepare("UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL").run(new Date().toISOString(), seq);
  }

  depth(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL").get() as { n: number }).n;
  }

  /** Every event ever appended, in order (tests and the crash bench). */
  all(): OutboxEntry[] {
    const rows = this.db.prepare("SELECT seq, event FROM outbox ORDER BY seq").all() as { seq: number; event: string }[];
    return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as LockerEvent }));
  }
}
