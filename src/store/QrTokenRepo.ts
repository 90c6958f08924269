/** Used kiosk QR tokens in SQLite (table `qr_token_used`, migration 001): single use survives a restart. */
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export class QrTokenRepo {
  constructor(private readonly db: Db) {}

  /** True when the token with this nonce was already used. */
  isUsed(nonce: string): boolean {
    return statement(this.db, "SELECT 1 FROM qr_token_used WHERE nonce = ?").get(nonce) !== undefined;
  }

  /** Record the nonce as used by `caseId`; false when it already was (a race lost). `expiresMs`: the token's wall-clock expiry, ms. */
  markUsed(nonce: string, expiresMs: number, usedAtIso: string, caseId: string): boolean {
    const r = statement(this.db, "INSERT OR IGNORE INTO qr_token_used (nonce, expires_ms, used_at, case_id) VALUES (?, ?, ?, ?)").run(nonce, expiresMs, usedAtIso, caseId);
    return r.changes > 0;
  }
}
