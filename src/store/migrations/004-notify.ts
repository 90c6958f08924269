import type { Migration } from "../Migration.js";

/**
 * Notification channels (issue 13): one cursor per channel over the shared
 * `outbox` table, so each channel reads the same events at its own pace.
 * The outbox itself is untouched (its `sent_at` belongs to the MQTT relay).
 * `last_error*` survive a restart so `lockerctl notify status` can still say
 * why a channel is behind.
 */
export const m004_notify: Migration = {
  version: 4,
  name: "notify",
  up(db) {
    db.exec(`
      CREATE TABLE notify_cursor (
        channel        TEXT PRIMARY KEY,
        -- every outbox row with seq <= this was delivered (or not wanted) on this channel
        seq            INTEGER NOT NULL,
        created_at     TEXT NOT NULL,
        last_ok_at     TEXT,
        last_error     TEXT,
        last_error_at  TEXT,
        failures       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    `);
  },
};
