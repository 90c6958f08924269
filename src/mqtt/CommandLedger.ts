/**
 * Memory of remote commands in SQLite (table `mqtt_command`, migration 002):
 * single-use ids survive restarts, and accepted opens are counted for the
 * per-hour cap. Times are wall ms: commands are only accepted while the wall
 * clock is trusted.
 */
import type Database from "better-sqlite3";

const HOUR_MS = 3_600_000;

export class CommandLedger {
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly countOpens: Database.Statement;
  private readonly prune: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare("INSERT OR IGNORE INTO mqtt_command (id, name, received_ms) VALUES (?, ?, ?)");
    this.update = db.prepare("UPDATE mqtt_command SET outcome = ? WHERE id = ?");
    this.countOpens = db.prepare("SELECT count(*) AS n FROM mqtt_command WHERE name = 'open' AND outcome <> 'refused' AND received_ms > ?");
    this.prune = db.prepare("DELETE FROM mqtt_command WHERE received_ms < ?");
  }

  /** Remember `id`; false when it was already used (a replay). */
  claim(id: string, name: string, wallMs: number): boolean {
    return this.insert.run(id, name, wallMs).changes === 1;
  }

  /** Final outcome of a claimed command ("refused" ones do not count toward the cap). */
  settle(id: string, outcome: "ok" | "refused" | "error"): void {
    this.update.run(outcome, id);
  }

  /** Opens accepted in the rolling hour before `wallMs`. */
  opensInLastHour(wallMs: number): number {
    return (this.countOpens.get(wallMs - HOUR_MS) as { n: number }).n;
  }

  /**
   * Forget ids older than `keepMs` before `wallMs`. Safe once they are past
   * the timestamp window: an old id would be refused as stale anyway.
   */
  forgetBefore(wallMs: number, keepMs: number): void {
    this.prune.run(wallMs - Math.max(keepMs, HOUR_MS));
  }
}
