import type { Migration } from "../Migration.js";

/** Owned by B (core, issue 3). */
export const m001_core: Migration = {
  version: 1,
  name: "core",
  up(_db) {
    // placeholder: filled by the owner
  },
};
