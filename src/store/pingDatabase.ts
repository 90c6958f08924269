/** The cheapest query that proves the database file still answers (for /readyz and /admin/status). */
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

/** Throws what SQLite throws when the database cannot answer. */
export function pingDatabase(db: Db): void {
  statement(db, "SELECT 1").get();
}
