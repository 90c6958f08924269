/**
 * The signed webhook to the centre's back office (our own contract, see
 * README "Notifications"): one `POST` per event, body = the event JSON plus
 * `seq` and, on `ready` with `includePhone`, `residentPhone`. Headers:
 * `X-Lockerd-Event-Id`, `X-Lockerd-Timestamp` (unix seconds) and
 * `X-Lockerd-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
 * Any 2xx is delivered; anything else is retried (same id: de-duplicate on it).
 */
import { createHmac, randomUUID } from "node:crypto";
import type { ChannelKind, OutgoingRequest } from "./ChannelKind.js";
import type { ChannelSecrets } from "./channelSecrets.js";

/** Hex HMAC-SHA256 of `timestamp + "." + body`: what the back office recomputes. */
export function webhookSignature(secret: string, timestampS: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampS}.${body}`).digest("hex");
}

function signed(secrets: ChannelSecrets, id: string, nowMs: number, payload: Record<string, unknown>): OutgoingRequest {
  const body = JSON.stringify(payload);
  const ts = Math.floor(nowMs / 1000);
  return {
    url: secrets.url,
    headers: {
      "content-type": "application/json",
      "x-lockerd-event-id": id,
      "x-lockerd-timestamp": String(ts),
      "x-lockerd-signature": `sha256=${webhookSignature(secrets.secret ?? "", ts, body)}`,
    },
    body,
  };
}

/** `webhook` with `includePhone` decided by the channel config. */
export function webhookKind(includePhone: boolean): ChannelKind {
  return {
    maxEventsPerMessage: 1,
    rateLimitedWaitMs: 60_000,
    fit: () => 1,
    build(events, secrets, ctx) {
      const { seq, event } = events[0]!;
      const phone = includePhone && event.type === "ready" && event.caseId ? ctx.fullPhone?.(event.caseId) : undefined;
      return signed(secrets, event.id, ctx.nowMs, { ...event, seq, ...(phone ? { residentPhone: phone } : {}) });
    },
    buildTest(secrets, ctx, channelId) {
      const id = randomUUID();
      return signed(secrets, id, ctx.nowMs, {
        id,
        type: "test",
        time: new Date(ctx.nowMs).toISOString(),
        lockerId: ctx.lockerId,
        message: `lockerd notify test (channel ${channelId})`,
      });
    },
    classify(status, _text, retryAfter) {
      if (status >= 200 && status < 300) return { kind: "ok", detail: `HTTP ${status}` };
      const s = Number(retryAfter);
      const waitMs = retryAfter !== null && Number.isFinite(s) && s > 0 ? Math.min(s, 3600) * 1000 : undefined;
      // 429, or 503 with Retry-After: the back office said when; other failures back off.
      if (status === 429 || (status === 503 && waitMs !== undefined)) return { kind: "rate-limited", detail: `HTTP ${status}`, ...(waitMs !== undefined ? { waitMs } : {}) };
      return { kind: "failed", detail: `HTTP ${status}` };
    },
  };
}
