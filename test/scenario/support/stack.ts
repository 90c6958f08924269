/**
 * @deprecated Use `test/support/harness.ts` (`startHarness({ depth: "hardware" })`
 * or `startStack`) and `requireTool("socat")` from `test/support/tools.ts`. This
 * module only forwards there so branches written against it still merge.
 */
import { requireTool } from "../../support/tools.js";

export { COMMANDED_WINDOW_MS, PULSE_MS, findSecrets, startStack, type Stack } from "../../support/harness.js";

/** @deprecated `requireTool("socat")`: true when installed; a printed skip on a laptop, a failure under CI. */
export function socatAvailable(): boolean {
  return requireTool("socat", "the scenario tests (real pseudo-terminals)");
}
