/** Persisted PIN-guessing counters (tables `pin_throttle`, `pin_failure`, migration 001). */
import type { Statement } from "better-sqlite3";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export type ThrottleScope = "phone" | "case" | "client";

export interface ThrottleRow {
  failures: number;
  locked_until_ms: number;
  last_failure_ms: number;
}

export class PinThrottleRepo {
  // Prepared once: `get` runs on every pickup attempt, refused ones included,
  // and preparing (parsing) the SQL each time was most of a refusal's cost.
  private readonly stmt: {
    get: Statement;
    put: Statement;
    clear: Statement;
    prune: Statement;
    addFailure: Statement;
    dropOldFailures: Statement;
    countFailures: Statement;
  };

  constructor(db: Db) {
    this.stmt = {
      get: statement(db, "SELECT failures, locked_until_ms, last_failure_ms FROM pin_throttle WHERE scope = ? AND key = ?"),
      put: statement(
        db,
        `INSERT INTO pin_throttle (scope, key, failures, locked_until_ms, last_failure_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(scope, key) DO UPDATE SET failures = excluded.failures, locked_until_ms = excluded.locked_until_ms, last_failure_ms = excluded.last_failure_ms`,
      ),
      clear: statement(db, "DELETE FROM pin_throttle WHERE scope = ? AND key = ?"),
      prune: statement(db, "DELETE FROM pin_throttle WHERE last_failure_ms < ? AND locked_until_ms < ?"),
      addFailure: statement(db, "INSERT INTO pin_failure (client, at_ms) VALUES (?, ?)"),
      dropOldFailures: statement(db, "DELETE FROM pin_failure WHERE at_ms < ?"),
      countFailures: statement(db, "SELECT count(*) AS n FROM pin_failure WHERE client = ? AND at_ms >= ?"),
    };
  }

  get(scope: ThrottleScope, key: string): ThrottleRow {
    return (
      (this.stmt.get.get(scope, key) as ThrottleRow | undefined) ?? {
        failures: 0,
        locked_until_ms: 0,
        last_failure_ms: 0,
      }
    );
  }

  put(scope: ThrottleScope, key: string, row: ThrottleRow): void {
    this.stmt.put.run(scope, key, row.failures, row.locked_until_ms, row.last_failure_ms);
  }

  clear(scope: ThrottleScope, key: string): void {
    this.stmt.clear.run(scope, key);
  }

  /** Forget counters idle since before `beforeMs` whose lockout is over (keeps the table small under a flood of random phones). */
  prune(beforeMs: number, nowMs: number): number {
    return this.stmt.prune.run(beforeMs, nowMs).changes;
  }

  /** Record one failed attempt from `client` at wall `atMs`; returns how many it made since `sinceMs`. */
  recordClientFailure(client: string, atMs: number, sinceMs: number): number {
    this.stmt.addFailure.run(client, atMs);
    this.stmt.dropOldFailures.run(sinceMs - 86_400_000);
    return (this.stmt.countFailures.get(client, sinceMs) as { n: number }).n;
  }
}
