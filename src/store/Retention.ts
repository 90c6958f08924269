/**
 * Keeps the history that only serves delivery or replay protection bounded
 * (issue 9, item 11). Cases and the audit trail are the locker's record and
 * are not pruned here (see config/DEPLOY.md "History and retention").
 *   - outbox rows sent to the broker more than `outboxDays` ago (dead letters are kept);
 *     with notify channels, only rows every channel has passed;
 *   - used QR-token nonces whose token expired more than a day ago (a token
 *     cannot be used after its expiry, so its nonce no longer guards anything);
 *   - remote-command ids older than two days (the signed window is minutes,
 *     the hourly open cap looks back one hour).
 * Runs only on a trusted wall clock: the cut-offs are wall-clock dates.
 */
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export interface RetentionPolicy {
  /** Sent outbox rows are kept this many days (a back office may ask for a replay). */
  outboxDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { outboxDays: 30 };

const DAY_MS = 86_400_000;

export interface Pruned {
  outbox: number;
  tokens: number;
  commands: number;
}

function tableExists(db: Db, name: string): boolean {
  return statement(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Delete what the policy no longer needs, as of wall time `nowMs`; one transaction. */
export function pruneHistory(db: Db, nowMs: number, policy: RetentionPolicy = DEFAULT_RETENTION): Pruned {
  const outboxCut = new Date(nowMs - policy.outboxDays * DAY_MS).toISOString();
  // Notify channels (migration 004) read the same rows through their own cursors.
  const notifyGuard = tableExists(db, "notify_cursor") ? "AND seq <= coalesce((SELECT min(seq) FROM notify_cursor), seq)" : "";
  return db.transaction(() => ({
    outbox: statement(db, `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? AND dead_at IS NULL ${notifyGuard}`).run(outboxCut).changes,
    tokens: statement(db, "DELETE FROM qr_token_used WHERE expires_ms < ?").run(nowMs - DAY_MS).changes,
    commands: tableExists(db, "mqtt_command") ? statement(db, "DELETE FROM mqtt_command WHERE received_ms < ?").run(nowMs - 2 * DAY_MS).changes : 0,
  }))();
}
