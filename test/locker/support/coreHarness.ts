/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "core" })` or
 * `buildCore`) and `test/support/waitFor.ts`. This module only forwards there so
 * branches written against it still merge; the integrator moves late arrivals
 * over and then deletes it.
 */
export { buildCore, coreTestConfig as testConfig, RESIDENT, STAFF, type CoreHarness } from "../../support/harness.js";
export { ALL_LOG_LINES } from "../../support/logCapture.js";
export { waitFor } from "../../support/waitFor.js";
