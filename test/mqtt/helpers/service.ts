/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "mqtt", broker })`
 * or `startService`). This module only forwards there so branches written
 * against it still merge.
 */
export { startService, type ServiceRig } from "../../support/harness.js";
