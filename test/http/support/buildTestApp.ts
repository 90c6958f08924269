/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "http" })` or
 * `buildTestApp`). This module only forwards there so branches written against
 * it still merge.
 */
export { buildTestApp, type TestApp } from "../../support/harness.js";
