/**
 * The one wait-until helper for every test. Polls `check` until it returns a
 * truthy value and resolves with that value; fails naming `what` (and the last
 * error `check` threw, if any) after `timeoutMs`.
 *
 * Generous defaults: the machine running the suite may be loaded, and a wait
 * that holds returns as soon as it does, so a long timeout costs nothing.
 *
 *   await waitFor(() => s.getCase(id).state === "dropped_off", "case dropped off");
 *   const line = await waitFor(() => lines.find((l) => l.includes("ready")), "ready line", { timeoutMs: 20_000 });
 */
export interface WaitOptions {
  /** Give up after this long, ms (default 15 000). */
  timeoutMs?: number;
  /** Poll period, ms (default 10). */
  intervalMs?: number;
}

export async function waitFor<T>(check: () => T | Promise<T>, what: string, opts: WaitOptions | number = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 15_000, intervalMs = 10 } = typeof opts === "number" ? { timeoutMs: opts } : opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      // Not there yet (a socket still starting, a row not written yet): keep polling, report it if we time out.
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
