/**
 * Audit of pickups refused by a PIN lockout, aggregated per client and
 * window. A flood of locked-out guesses must stay visible in the audit trail,
 * but one fsync'd row per refusal would let the flood buy a synchronous disk
 * flush on the event loop with every request. So per client and window
 * (`THROTTLED_AUDIT_WINDOW_MS`): the first refusal is written at once, as
 * before; the rest are counted in memory and written as one summary row when
 * the window ends (on the next refusal after it, the service's timer, or stop).
 * At most two rows per client per minute; see PIN_POLICY.md.
 */
import type { Clock } from "../util/clock.js";
import type { Actor } from "./LockerApi.js";

/** Length of one aggregation window, ms. */
export const THROTTLED_AUDIT_WINDOW_MS = 60_000;
/** Masked phones kept as a sample in one summary row. */
const SAMPLE_PHONES = 5;
/** Distinct masked phones counted per window before counting stops growing the set. */
const MAX_DISTINCT = 1_000;

/** What the summary row of a window says (audit `detail`). */
export interface ThrottledSummary {
  client: string;
  /** Refusals in the window after the first (which has its own row). */
  count: number;
  /** Distinct masked phones among them (capped at 1,000). */
  phones: number;
  samplePhones: string[];
  from: string;
  to: string;
  /** Longest wait told to the client in the window, s. */
  maxRetryAfterS: number;
}

interface Bucket {
  actor: Actor;
  startMono: number;
  fromIso: string;
  count: number;
  phones: Set<string>;
  maxRetryAfterS: number;
}

/** Writes audit rows; `summaries` are written together (one transaction). */
export interface ThrottledAuditSink {
  first(actor: Actor, detail: { phone: string; retryAfterS: number }): void;
  summaries(rows: Array<{ actor: Actor; detail: ThrottledSummary }>): void;
}

export class ThrottledRefusals {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly sink: ThrottledAuditSink,
    private readonly windowMs = THROTTLED_AUDIT_WINDOW_MS,
  ) {}

  /** Count one refusal by `client` for the (already masked) phone. */
  note(actor: Actor, client: string, maskedPhone: string, retryAfterS: number): void {
    this.flushExpired();
    const b = this.buckets.get(client);
    if (!b) {
      this.buckets.set(client, { actor, startMono: this.clock.monotonicMs(), fromIso: this.nowIso(), count: 0, phones: new Set(), maxRetryAfterS: 0 });
      this.sink.first(actor, { phone: maskedPhone, retryAfterS });
      return;
    }
    b.count++;
    if (b.phones.size < MAX_DISTINCT) b.phones.add(maskedPhone);
    b.maxRetryAfterS = Math.max(b.maxRetryAfterS, retryAfterS);
  }

  /** Write the summaries of windows that have ended. */
  flushExpired(): void {
    const now = this.clock.monotonicMs();
    this.flush((b) => now - b.startMono >= this.windowMs);
  }

  /** Write every open window's summary (daemon stop). */
  flushAll(): void {
    this.flush(() => true);
  }

  /** Clients with an open window (for tests and health). */
  get openWindows(): number {
    return this.buckets.size;
  }

  private flush(due: (b: Bucket) => boolean): void {
    const rows: Array<{ actor: Actor; detail: ThrottledSummary }> = [];
    for (const [client, b] of this.buckets) {
      if (!due(b)) continue;
      this.buckets.delete(client);
      if (b.count === 0) continue;
      rows.push({
        actor: b.actor,
        detail: {
          client,
          count: b.count,
          phones: b.phones.size,
          samplePhones: [...b.phones].slice(0, SAMPLE_PHONES),
          from: b.fromIso,
          to: this.nowIso(),
          maxRetryAfterS: b.maxRetryAfterS,
        },
      });
    }
    if (rows.length) this.sink.summaries(rows);
  }

  private nowIso(): string {
    return new Date(this.clock.wallMs()).toISOString();
  }
}
