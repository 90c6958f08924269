/**
 * What differs between channel kinds, as pure functions: how a batch of
 * events becomes one HTTP request, and what the service's answer means.
 * The I/O (fetch, timers, cursor) lives in ChannelWorker.ts.
 */
import type { LockerEvent } from "../locker/events.js";
import type { ChannelSecrets } from "./channelSecrets.js";
import type { MessageContext } from "./formatMessage.js";

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One event with its outbox sequence number. */
export interface Numbered {
  seq: number;
  event: LockerEvent;
}

export interface BuildContext extends MessageContext {
  lockerId: string;
  /** Full phone of a case (webhook with includePhone, `ready` only); undefined once purged. */
  fullPhone?: (caseId: string) => string | undefined;
}

export type Answer =
  | { kind: "ok"; detail: string }
  /** The service said "too fast": wait (at least `waitMs` when it said how long) and send the same events again. */
  | { kind: "rate-limited"; detail: string; waitMs?: number }
  | { kind: "failed"; detail: string };

export interface ChannelKind {
  /** Events one message may carry at most (1 = one request per event). */
  maxEventsPerMessage: number;
  /** How many of `events` (oldest first, at least 1) fit in one message. */
  fit(events: readonly Numbered[], ctx: BuildContext): number;
  build(events: readonly Numbered[], secrets: ChannelSecrets, ctx: BuildContext): OutgoingRequest;
  /** A test message (lockerctl notify test). */
  buildTest(secrets: ChannelSecrets, ctx: BuildContext, channelId: string): OutgoingRequest;
  classify(status: number, text: string, retryAfter: string | null): Answer;
  /** Wait after a rate-limit answer that did not say how long, ms (the service's documented penalty). */
  rateLimitedWaitMs: number;
}

/** How many leading items fit: add while `size(n)` stays within `maxBytes` (always at least one). */
export function fitByBytes(count: number, max: number, size: (n: number) => number, maxBytes: number): number {
  let n = 1;
  while (n < Math.min(count, max) && size(n + 1) <= maxBytes) n++;
  return n;
}

/** Robots answer `{"errcode":0,"errmsg":"ok"}`, also with HTTP 200 on failure. */
export function parseErrcode(text: string): { errcode?: number; errmsg?: string } {
  try {
    const j = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
    return { ...(typeof j.errcode === "number" ? { errcode: j.errcode } : {}), ...(typeof j.errmsg === "string" ? { errmsg: j.errmsg.slice(0, 200) } : {}) };
  } catch {
    return {};
  }
}
