import type { Migration } from "../Migration.js";

/** Owned by C (MQTT, issue 4). */
export const m002_mqtt: Migration = {
  version: 2,
  name: "mqtt",
  up(_db) {
    // placeholder: filled by the owner
  },
};
