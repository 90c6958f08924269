/**
 * The event outbox (table `outbox`). `append` must be called inside the same
 * transaction as the state change that causes the event; the relay (MQTT)
 * reads it through `OutboxReader` and marks entries sent. A row that can
 * never be published is set aside as a dead letter (kept, with why) so it
 * never blocks the events behind it. Sent rows are pruned after a retention
 * period (`prune`).
 */
import type { LockerEvent, OutboxEntry, OutboxReader } from "../locker/events.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export interface DeadLetter {
  seq: number;
  id: string;
  type: string;
  createdAt: string;
  deadAt: string;
  reason: string;
}

export class Outbox implements OutboxReader {
  /** Told about each row set aside while reading (unreadable JSON). */
  onDeadLetter?: (d: DeadLetter) => void;

  constructor(private readonly db: Db) {}

  /** Append `event`; returns its sequence number. */
  append(event: LockerEvent): number {
    const r = statement(this.db, "INSERT INTO outbox (id, type, event, created_at) VALUES (?, ?, ?, ?)").run(event.id, event.type, JSON.stringify(event), event.time);
    return Number(r.lastInsertRowid);
  }

  /** The oldest unsent, live entries; an unreadable row is set aside here and skipped. */
  pending(limit: number): OutboxEntry[] {
    const rows = statement(this.db, "SELECT seq, event FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL ORDER BY seq LIMIT ?").all(limit) as { seq: number; event: string }[];
    const out: OutboxEntry[] = [];
    for (const r of rows) {
      let event: LockerEvent | undefined;
      try {
        event = JSON.parse(r.event) as LockerEvent;
      } catch (err) {
        this.setAside(r.seq, `unreadable event text (${(err as Error).message})`);
        continue;
      }
      if (!event || typeof event !== "object" || typeof event.type !== "string" || typeof event.id !== "string") {
        this.setAside(r.seq, "not an event (no id or type)");
        continue;
      }
      out.push({ seq: r.seq, event });
    }
    return out;
  }

  markSent(seq: number): void {
    statement(this.db, "UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL").run(new Date().toISOString(), seq);
  }

  /** Count a failed publish of `seq`; returns the attempts so far. */
  recordFailure(seq: number): number {
    const r = statement(this.db, "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ? RETURNING attempts").get(seq) as { attempts: number } | undefined;
    return r?.attempts ?? 0;
  }

  /** Set `seq` aside for good (kept, never published, never blocking); returns the dead letter. */
  setAside(seq: number, reason: string): DeadLetter | undefined {
    const now = new Date().toISOString();
    statement(this.db, "UPDATE outbox SET dead_at = ?, dead_reason = ? WHERE seq = ? AND dead_at IS NULL AND sent_at IS NULL").run(now, reason.slice(0, 500), seq);
    const d = this.deadLetters(1, seq)[0];
    if (d) this.onDeadLetter?.(d);
    return d;
  }

  /** Dead letters, newest first (or just `seq`). */
  deadLetters(limit = 20, seq?: number): DeadLetter[] {
    // Without INDEXED BY, SQLite walks the whole outbox backwards by seq to skip the sort
    // (~10 ms on a year's 30,000 events, at every status report); dead letters are few to sort.
    const rows = statement(
      this.db,
      `SELECT seq, id, type, created_at AS createdAt, dead_at AS deadAt, dead_reason AS reason FROM outbox
         ${seq === undefined ? "INDEXED BY outbox_dead WHERE dead_at IS NOT NULL" : "WHERE dead_at IS NOT NULL AND seq = @seq"} ORDER BY seq DESC LIMIT @limit`,
    ).all({ limit, ...(seq === undefined ? {} : { seq }) }) as DeadLetter[];
    return rows;
  }

  deadCount(): number {
    return (statement(this.db, "SELECT count(*) AS n FROM outbox WHERE dead_at IS NOT NULL").get() as { n: number }).n;
  }

  depth(): number {
    return (statement(this.db, "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL").get() as { n: number }).n;
  }

  /** Every event ever appended, in order (tests and the crash bench). */
  all(): OutboxEntry[] {
    const rows = statement(this.db, "SELECT seq, event FROM outbox ORDER BY seq").all() as { seq: number; event: string }[];
    return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as LockerEvent }));
  }
}
