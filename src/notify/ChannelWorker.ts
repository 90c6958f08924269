/**
 * One channel's delivery loop over the shared outbox: read the events after
 * its cursor, keep to its rate (a sliding window of `perMinute` messages),
 * pack what is waiting into one message, POST, and move the cursor only on
 * success. A failure keeps the events and waits (exponential backoff, or the
 * service's own rate-limit penalty), so every event arrives at least once and
 * in order. Each channel has its own loop: a slow one never holds up another,
 * MQTT, or the locker (nothing here runs inside a locker transaction).
 */
import type { Logger } from "pino";
import type { NotifyChannelConfig } from "../config/LockerConfig.js";
import type { NotifyCursorRepo } from "../store/NotifyCursorRepo.js";
import type { Clock } from "../util/clock.js";
import type { Answer, BuildContext, ChannelKind, Numbered, OutgoingRequest } from "./ChannelKind.js";
import type { ChannelSecrets } from "./channelSecrets.js";
import { httpPost, type PostResult } from "./httpPost.js";

export interface ChannelTiming {
  timeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** Messages per window at most. */
  perWindow: number;
  /** Rate window, ms (60000: "per minute"; tests shorten it). */
  windowMs: number;
  /** Override the kind's wait after a rate-limit answer, ms (tests). */
  rateLimitedWaitMs?: number;
}

export interface ChannelWorkerOptions {
  channel: NotifyChannelConfig;
  kind: ChannelKind;
  secrets: ChannelSecrets;
  cursors: NotifyCursorRepo;
  timing: ChannelTiming;
  /** A fresh build context (its nowMs = now). */
  context(): BuildContext;
  clock: Clock;
  log: Logger;
  /** After each attempt: how many wanted events still wait. */
  onBacklog?(backlog: number): void;
  post?: (req: OutgoingRequest, timeoutMs: number, signal?: AbortSignal) => Promise<PostResult>;
}

export interface ChannelStatus {
  id: string;
  kind: NotifyChannelConfig["kind"];
  events: string[];
  /** Every outbox entry up to this sequence number is delivered (or not wanted). */
  cursor: number;
  /** Wanted events still waiting. */
  backlog: number;
  lastOkAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Failed attempts since the last success. */
  failures: number;
  /** ISO time of the next attempt while waiting after a failure. */
  nextAttemptAt: string | null;
  /** Messages sent within the current rate window. */
  sentInWindow: number;
}

export interface TestResult {
  ok: boolean;
  status?: number;
  detail: string;
  ms?: number;
}

/** Rows read from the outbox per look (most are usually wanted). */
const READ_AHEAD = 200;
/** Look at the outbox at least this often even without a wake-up, ms. */
const IDLE_RECHECK_MS = 30_000;

export class ChannelWorker {
  private seq = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private wakeUp?: () => void;
  private woken = false;
  private running?: Promise<void>;
  private readonly sentAt: number[] = [];
  private failures = 0;
  private nextAttemptAt: string | null = null;
  private readonly wanted: Set<string>;
  private readonly post;
  private readonly log: Logger;

  constructor(private readonly o: ChannelWorkerOptions) {
    this.wanted = new Set(o.channel.events);
    this.post = o.post ?? httpPost;
    this.log = o.log.child({ channel: o.channel.id, kind: o.channel.kind });
  }

  get id(): string {
    return this.o.channel.id;
  }

  start(): void {
    const row = this.o.cursors.ensure(this.id, this.nowIso());
    this.seq = row.seq;
    this.failures = row.failures;
    this.running = this.loop().catch((err) => this.log.error({ err }, "notify channel loop ended"));
  }

  /** New events in the outbox: look now (coalesces). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stop; a request in flight is aborted and its events stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
  }

  status(): ChannelStatus {
    const row = this.o.cursors.get(this.id);
    this.trimWindow();
    return {
      id: this.id,
      kind: this.o.channel.kind,
      events: [...this.o.channel.events],
      cursor: row?.seq ?? this.seq,
      backlog: this.backlog(),
      lastOkAt: row?.last_ok_at ?? null,
      lastError: row?.last_error ?? null,
      lastErrorAt: row?.last_error_at ?? null,
      failures: this.failures,
      nextAttemptAt: this.nextAttemptAt,
      sentInWindow: this.sentAt.length,
    };
  }

  backlog(): number {
    return this.o.cursors.backlog(this.seq, [...this.wanted]);
  }

  /** Send a test message now (counts against the rate window; refused when the window is full). */
  async sendTest(): Promise<TestResult> {
    this.trimWindow();
    if (this.sentAt.length >= this.o.timing.perWindow) {
      const waitS = Math.ceil((this.sentAt[0]! + this.o.timing.windowMs - this.o.clock.monotonicMs()) / 1000);
      return { ok: false, detail: `rate limit: ${this.sentAt.length} messages in the last window; try again in ${waitS} s` };
    }
    const req = this.o.kind.buildTest(this.o.secrets, this.o.context(), this.id);
    this.sentAt.push(this.o.clock.monotonicMs());
    try {
      const r = await this.post(req, this.o.timing.timeoutMs);
      const a = this.o.kind.classify(r.status, r.text, r.retryAfter);
      return { ok: a.kind === "ok", status: r.status, detail: a.detail, ms: r.ms };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let batch: Numbered[] | "skipped" | undefined;
      try {
        batch = this.next();
      } catch (err) {
        this.log.error({ err }, "cannot read the outbox; retrying");
        await this.sleep(this.o.timing.retryMinMs);
        continue;
      }
      if (batch === "skipped") continue;
      if (!batch) {
        await this.idle();
        continue;
      }
      // Wait for a free slot in the rate window, then read again: whatever
      // arrived meanwhile goes into the same message (batched, never dropped).
      const slotWait = this.slotWaitMs();
      if (slotWait > 0) {
        await this.sleep(slotWait);
        continue;
      }
      await this.deliver(batch);
      this.o.onBacklog?.(this.backlog());
    }
  }

  /** Wanted events after the cursor (oldest first), "skipped" when only unwanted ones were passed, undefined when none. */
  private next(): Numbered[] | "skipped" | undefined {
    const rows = this.o.cursors.after(this.seq, READ_AHEAD);
    if (rows.length === 0) return undefined;
    const wanted = rows.filter((r) => this.wanted.has(r.event.type));
    if (wanted.length === 0) {
      this.moveTo(rows.at(-1)!.seq, false);
      return "skipped";
    }
    return wanted;
  }

  private async deliver(rows: Numbered[]): Promise<void> {
    const ctx = this.o.context();
    const batch = rows.slice(0, Math.max(1, this.o.kind.fit(rows, ctx)));
    const req = this.o.kind.build(batch, this.o.secrets, ctx);
    let answer: Answer;
    this.sentAt.push(this.o.clock.monotonicMs());
    try {
      const r = await this.post(req, this.o.timing.timeoutMs, this.abort.signal);
      answer = this.o.kind.classify(r.status, r.text, r.retryAfter);
    } catch (err) {
      if (this.stopped) return;
      answer = { kind: "failed", detail: (err as Error).message };
    }
    if (answer.kind === "ok") {
      this.moveTo(batch.at(-1)!.seq, true);
      if (this.failures > 0) this.log.info({ events: batch.length }, "notify channel delivering again");
      this.failures = 0;
      this.nextAttemptAt = null;
      this.log.debug({ events: batch.length, firstSeq: batch[0]!.seq, lastSeq: batch.at(-1)!.seq }, "notified");
      return;
    }
    this.failures++;
    this.o.cursors.failed(this.id, answer.detail, this.nowIso());
    const t = this.o.timing;
    const waitMs =
      answer.kind === "rate-limited"
        ? (answer.waitMs ?? t.rateLimitedWaitMs ?? this.o.kind.rateLimitedWaitMs)
        : Math.min(t.retryMaxMs, t.retryMinMs * 2 ** Math.min(this.failures - 1, 20));
    this.nextAttemptAt = new Date(this.o.clock.wallMs() + waitMs).toISOString();
    // The first failure and then every tenth: a long outage does not flood the log.
    if (this.failures === 1 || this.failures % 10 === 0)
      this.log.warn({ answer: answer.kind, detail: answer.detail, failures: this.failures, waitMs, events: batch.length }, "notify delivery failed; events kept, retrying");
    await this.sleep(waitMs);
  }

  private moveTo(seq: number, delivered: boolean): void {
    this.o.cursors.advance(this.id, seq, this.nowIso(), delivered);
    this.seq = Math.max(this.seq, seq);
  }

  private trimWindow(): void {
    const since = this.o.clock.monotonicMs() - this.o.timing.windowMs;
    while (this.sentAt.length > 0 && this.sentAt[0]! <= since) this.sentAt.shift();
  }

  private slotWaitMs(): number {
    this.trimWindow();
    if (this.sentAt.length < this.o.timing.perWindow) return 0;
    return Math.max(1, this.sentAt[0]! + this.o.timing.windowMs - this.o.clock.monotonicMs());
  }

  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const t = setTimeout(done, IDLE_RECHECK_MS);
      this.wakeUp = done;
    });
  }

  /** Wait `ms` (ends early only on stop; new events do not cut a backoff short). */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private nowIso(): string {
    return new Date(this.o.clock.wallMs()).toISOString();
  }
}
