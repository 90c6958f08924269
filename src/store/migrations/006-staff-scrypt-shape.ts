import type { Migration } from "../Migration.js";

/**
 * Issue 9, item 12: new staff-code hashes take the smaller scrypt shape
 * (r = 4, p = 2: half the memory for the same work; see SCRYPT_SHAPE in
 * locker/PinHasher.ts). Each row now records its shape, like its cost, so the
 * codes hashed before keep verifying: they were all made with r = 8, p = 1.
 */
export const m006_staff_scrypt_shape: Migration = {
  version: 6,
  name: "staff-scrypt-shape",
  up(db) {
    db.exec(`
      ALTER TABLE staff ADD COLUMN scrypt_r INTEGER NOT NULL DEFAULT 8;
      ALTER TABLE staff ADD COLUMN scrypt_p INTEGER NOT NULL DEFAULT 1;
    `);
  },
};
