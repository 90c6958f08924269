/** Used kiosk QR tokens in SQLite (table `qr_token_used`, migration 001): single use survives a restart. */
import type { Db } from "./openDatabase.js";

export class QrTokenRepo {
  constructor(private readonly db: Db) {}

  /** True when the token with this nonce was already used. */
  isUsed(nonce: string): boolean {
    return this.db.prepare("SELECT 1 FROM qr_token_used WHERE nonce = ?").get(nonce) !== undefined;
  }

  /** Record the nonce as used by `caseId`; false when it already was (a race lost). `expiresMs`: the token's wall-clock expiry, ms. */
  markUsed(nonce: string, expiresMs: number, usedAtIso: string, caseId: string): boolean {
    const r = this.db.prepare("INSERT OR IGNORE INTO qr_token_used (nonce, expires_ms, used_at, case_id) VALUES (?, ?, ?, ?)").run(nonce, expiresMs, usedAtIso, caseId);
    return r.changes > 0;
  }
}
