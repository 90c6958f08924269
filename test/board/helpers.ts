/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "bus" })`,
 * `clientRig`, `testBus`), `waitFor` from `test/support/waitFor.ts` and
 * `requireTool("socat")` from `test/support/tools.ts`. This module only
 * forwards there so branches written against it still merge.
 */
import { requireTool } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

export { clientRig, testBus, type ClientRig } from "../support/harness.js";

/** @deprecated `requireTool("socat")`. */
export function haveSocat(): boolean {
  return requireTool("socat", "the pseudo-terminal tests");
}

/** @deprecated `waitFor(cond, what, timeoutMs)` (note the argument order). */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  await waitFor(cond, what, { timeoutMs, intervalMs: 20 });
}
