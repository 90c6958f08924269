/**
 * @deprecated Use `test/support/processes.ts`. This module only forwards there
 * so branches written against it still merge.
 */
export * from "../../support/processes.js";
