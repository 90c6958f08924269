/**
 * The only network I/O of notifications: one POST with a time limit.
 * Errors describe what happened (refused, timed out, …) without the URL,
 * which for robots carries the key.
 */
import type { OutgoingRequest } from "./ChannelKind.js";

export interface PostResult {
  status: number;
  text: string;
  retryAfter: string | null;
  ms: number;
}

/** POST `req`; resolves with any HTTP answer, rejects (message without the URL) when there is none. */
export async function httpPost(req: OutgoingRequest, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
  const t0 = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const res = await fetch(req.url, { method: "POST", headers: req.headers, body: req.body, signal: both, redirect: "error" });
    // Robots answer with a small JSON object; cap what we keep of anything larger.
    const text = (await res.text()).slice(0, 4096);
    return { status: res.status, text, retryAfter: res.headers.get("retry-after"), ms: Math.round(performance.now() - t0) };
  } catch (err) {
    if (timeout.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
    if (signal?.aborted) throw new Error("stopped");
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new Error(`cannot reach the service (${cause?.code ?? (err as Error).name})`);
  }
}
