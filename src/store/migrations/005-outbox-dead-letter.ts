import type { Migration } from "../Migration.js";

/**
 * Issue 9, item 7: an outbox row that can never be published (unreadable,
 * too large, refused again and again while the link is up) is set aside, not
 * retried for ever in front of every later event. It stays in the table
 * (nothing is deleted) with why; `lockerctl mqtt-check` lists them.
 * Numbered 5: 4 is the notify channels' cursor table.
 */
export const m005_outbox_dead_letter: Migration = {
  version: 5,
  name: "outbox-dead-letter",
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN dead_at TEXT;
      ALTER TABLE outbox ADD COLUMN dead_reason TEXT;
      CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;
    `);
  },
};
