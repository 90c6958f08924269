import type { Migration } from "../Migration.js";

/**
 * Owned by D (HTTP/staff, issue 5): staff sign-in codes, stored only as a
 * salted scrypt hash. Revoked rows are kept so the audit trail can still name
 * who did what.
 */
export const m003_staff: Migration = {
  version: 3,
  name: "staff",
  up(db) {
    db.exec(`
      CREATE TABLE staff (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        code_salt   BLOB NOT NULL,
        code_hash   BLOB NOT NULL,
        scrypt_cost INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      );
      CREATE INDEX staff_active ON staff (revoked_at);
    `);
  },
};
