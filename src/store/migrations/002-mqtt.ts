import type { Migration } from "../Migration.js";

/**
 * Owned by C (MQTT, issue 4). Remote command ids, kept so a replayed command
 * is refused even after a restart; accepted opens also feed the hourly cap.
 */
export const m002_mqtt: Migration = {
  version: 2,
  name: "mqtt",
  up(db) {
    db.exec(`
      CREATE TABLE mqtt_command (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        received_ms INTEGER NOT NULL,
        outcome     TEXT NOT NULL DEFAULT 'pending'
      ) STRICT;
      CREATE INDEX mqtt_command_by_name_time ON mqtt_command (name, received_ms);
    `);
  },
};
