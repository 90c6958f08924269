/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "daemon" })`,
 * `lockerTest`, `harnessTest`) and `test/support/waitFor.ts`. This module only
 * forwards there so branches written against it still merge; the integrator
 * moves late arrivals over and then deletes it.
 */
export { lockerTest, startLocker, TEST_OFFICE, testConfigOverrides, type LockerHarness } from "../support/harness.js";
export type { LockerHarnessOptions } from "../support/depth/daemon.js";
export { waitFor } from "../support/waitFor.js";
