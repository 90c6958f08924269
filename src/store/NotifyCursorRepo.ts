/**
 * Per-channel cursors over the outbox (table `notify_cursor`, migration 004).
 * Reads the `outbox` table by sequence number only; it never writes it, so
 * the MQTT relay's `sent_at` and any dead-letter marking stay its own.
 */
import type { LockerEvent, OutboxEntry } from "../locker/events.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export interface CursorRow {
  channel: string;
  seq: number;
  created_at: string;
  last_ok_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  failures: number;
}

export class NotifyCursorRepo {
  constructor(private readonly db: Db) {}

  /**
   * The cursor of `channel`, created on first use at the newest outbox row:
   * a channel added to a running locker gets the events from then on, not
   * the whole history.
   */
  ensure(channel: string, nowIso: string): CursorRow {
    const tx = this.db.transaction(() => {
      const found = this.get(channel);
      if (found) return found;
      const max = (statement(this.db, "SELECT coalesce(max(seq), 0) AS m FROM outbox").get() as { m: number }).m;
      statement(this.db, "INSERT INTO notify_cursor (channel, seq, created_at) VALUES (?, ?, ?)").run(channel, max, nowIso);
      return this.get(channel)!;
    });
    return tx.immediate();
  }

  get(channel: string): CursorRow | undefined {
    return statement(this.db, "SELECT * FROM notify_cursor WHERE channel = ?").get(channel) as CursorRow | undefined;
  }

  /**
   * Outbox rows after `afterSeq`, oldest first (every type; the caller filters).
   * A row whose JSON cannot be read comes back with type "unreadable", which
   * no channel wants: it is passed over instead of stopping the channel.
   */
  after(afterSeq: number, limit: number): OutboxEntry[] {
    const rows = statement(this.db, "SELECT seq, type, event FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?").all(afterSeq, limit) as {
      seq: number;
      type: string;
      event: string;
    }[];
    return rows.map((r) => {
      try {
        return { seq: r.seq, event: JSON.parse(r.event) as LockerEvent };
      } catch {
        return { seq: r.seq, event: { type: "unreadable" } as unknown as LockerEvent };
      }
    });
  }

  /** Events of the wanted types after `afterSeq` (the channel's backlog). */
  backlog(afterSeq: number, types: readonly string[]): number {
    if (types.length === 0) return 0;
    const q = `SELECT count(*) AS n FROM outbox WHERE seq > ? AND type IN (${types.map(() => "?").join(",")})`;
    return (statement(this.db, q).get(afterSeq, ...types) as { n: number }).n;
  }

  /** Delivered (or skipped) up to `seq`: move forward only, clear the failure count. */
  advance(channel: string, seq: number, nowIso: string, delivered: boolean): void {
    statement(
      this.db,
      `UPDATE notify_cursor SET seq = max(seq, ?), failures = CASE WHEN ? THEN 0 ELSE failures END,
           last_ok_at = CASE WHEN ? THEN ? ELSE last_ok_at END WHERE channel = ?`,
    ).run(seq, delivered ? 1 : 0, delivered ? 1 : 0, nowIso, channel);
  }

  failed(channel: string, error: string, nowIso: string): void {
    statement(this.db, "UPDATE notify_cursor SET last_error = ?, last_error_at = ?, failures = failures + 1 WHERE channel = ?").run(error.slice(0, 500), nowIso, channel);
  }
}
