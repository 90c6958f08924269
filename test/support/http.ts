/** Small fetch helpers for the end-to-end tests. */

/** GET (no body) or POST JSON; throws with the server's message on a non-2xx answer. */
export async function json(url: string, body?: unknown, cookie?: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  const res = await fetch(url, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${body === undefined ? "GET" : "POST"} ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
