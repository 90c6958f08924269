/**
 * Requests per minute per back-office client, the MQTT twin of the HTTP
 * listener's per-address limit (`http.rateLimitPerMinute`). A fixed window
 * per client on monotonic time; at most `MAX_CLIENTS` windows are kept so a
 * backend inventing client names cannot grow the map without bound.
 */
import type { Clock } from "../../util/clock.js";

const WINDOW_MS = 60_000;
const MAX_CLIENTS = 10_000;

export class RequestRateLimit {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Count one request of `client`; 0 when admitted, else the wait in ms. */
  admit(client: string): number {
    const now = this.clock.monotonicMs();
    let w = this.windows.get(client);
    if (!w || now - w.startMs >= WINDOW_MS) {
      if (!w && this.windows.size >= MAX_CLIENTS) this.prune(now);
      w = { startMs: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    return w.count > this.perMinute ? WINDOW_MS - (now - w.startMs) : 0;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.startMs >= WINDOW_MS) this.windows.delete(k);
    // Still full: everyone shares the oldest window's fate rather than growing the map.
    if (this.windows.size >= MAX_CLIENTS) this.windows.clear();
  }
}
