import type { Migration } from "../Migration.js";

/** Owned by D (HTTP/staff, issue 5). */
export const m003_staff: Migration = {
  version: 3,
  name: "staff",
  up(_db) {
    // placeholder: filled by the owner
  },
};
