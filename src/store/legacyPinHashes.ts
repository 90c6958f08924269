/**
 * The one-time move of resident PIN hashes to their peppered form (see
 * PinPepper): every `locker_case.pin_hash` still in the pre-pepper
 * `scrypt$…` form is rewritten by `seal`, in one transaction, at start.
 */
import type { Db } from "./openDatabase.js";

/** Rewrite every pre-pepper PIN hash with `seal`; returns how many were sealed. */
export function sealLegacyPinHashes(db: Db, seal: (stored: string) => string): number {
  const rows = db.prepare("SELECT id, pin_hash FROM locker_case WHERE pin_hash LIKE 'scrypt$%'").all() as Array<{ id: string; pin_hash: string }>;
  const update = db.prepare("UPDATE locker_case SET pin_hash = ? WHERE id = ?");
  db.transaction(() => rows.forEach((r) => update.run(seal(r.pin_hash), r.id)))();
  return rows.length;
}
