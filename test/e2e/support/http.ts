/**
 * @deprecated Use `json` from `test/support/http.ts` and `waitFor` from
 * `test/support/waitFor.ts`. This module only forwards there so branches
 * written against it still merge.
 */
import { waitFor } from "../../support/waitFor.js";

export { json } from "../../support/http.js";

/** @deprecated `waitFor(check, what, { timeoutMs, intervalMs: 50 })`. */
export async function poll(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(check, what, { timeoutMs, intervalMs: 50 });
}
