/** Remote commands already seen (table `mqtt_command`, migration 002); the rules on top live in `mqtt/CommandLedger.ts`. */
import type { Statement } from "better-sqlite3";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export type CommandOutcome = "ok" | "refused" | "error";

export class CommandRepo {
  // Prepared once: every incoming command runs `insert` and `countOpens`.
  private readonly stmt: { insert: Statement; setOutcome: Statement; countOpens: Statement; deleteBefore: Statement };

  constructor(db: Db) {
    this.stmt = {
      insert: statement(db, "INSERT OR IGNORE INTO mqtt_command (id, name, received_ms) VALUES (?, ?, ?)"),
      setOutcome: statement(db, "UPDATE mqtt_command SET outcome = ? WHERE id = ?"),
      countOpens: statement(db, "SELECT count(*) AS n FROM mqtt_command WHERE name = 'open' AND outcome <> 'refused' AND received_ms > ?"),
      deleteBefore: statement(db, "DELETE FROM mqtt_command WHERE received_ms < ?"),
    };
  }

  /** Insert the id unless it is there already; true when it was new. `receivedMs` is wall ms. */
  insertIfNew(id: string, name: string, receivedMs: number): boolean {
    return this.stmt.insert.run(id, name, receivedMs).changes === 1;
  }

  setOutcome(id: string, outcome: CommandOutcome): void {
    this.stmt.setOutcome.run(outcome, id);
  }

  /** `open` commands not refused, received after `sinceMs` (wall ms). */
  countOpensSince(sinceMs: number): number {
    return (this.stmt.countOpens.get(sinceMs) as { n: number }).n;
  }

  /** Delete commands received before `beforeMs` (wall ms). */
  deleteBefore(beforeMs: number): void {
    this.stmt.deleteBefore.run(beforeMs);
  }
}
