/**
 * DingTalk (钉钉) custom group robot: `POST`
 * `{"msgtype":"markdown","markdown":{"title","text"},"at":{…}}`. With a
 * signing secret (加签) the URL gets `&timestamp=<ms>&sign=<s>`,
 * s = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))).
 * `errcode` 0 = success; 130101 = sending too fast (throttled about ten
 * minutes); 310000 = signature, keyword or IP check failed.
 */
import { createHmac } from "node:crypto";
import { eventLine, messageTitle, zoneFooter } from "./formatMessage.js";
import { fitByBytes, parseErrcode, type BuildContext, type ChannelKind, type Numbered } from "./ChannelKind.js";
import type { ChannelSecrets } from "./channelSecrets.js";

const MAX_TEXT_BYTES = 4000;
export const DINGTALK_TOO_FAST = 130101;
export const DINGTALK_SECURITY_FAILED = 310000;

/** The signature DingTalk expects for `timestampMs` (before URL-encoding). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
}

function signedUrl(secrets: ChannelSecrets, nowMs: number): string {
  if (!secrets.secret) return secrets.url;
  const sep = secrets.url.includes("?") ? "&" : "?";
  return `${secrets.url}${sep}timestamp=${nowMs}&sign=${encodeURIComponent(dingtalkSign(secrets.secret, nowMs))}`;
}

// DingTalk markdown needs a blank line for a line break.
function text(events: readonly Numbered[], ctx: BuildContext): string {
  return [`#### ${ctx.displayName} · ${messageTitle(events.map((e) => e.event))}`, ...events.map(({ event }) => eventLine(event, ctx)), `> ${zoneFooter(ctx)}`].join("\n\n");
}

function request(secrets: ChannelSecrets, ctx: BuildContext, title: string, body: string) {
  return {
    url: signedUrl(secrets, ctx.nowMs),
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ msgtype: "markdown", markdown: { title, text: body }, at: { atMobiles: [], isAtAll: false } }),
  };
}

export const dingtalkRobot: ChannelKind = {
  maxEventsPerMessage: 30,
  rateLimitedWaitMs: 600_000,
  fit(events, ctx) {
    return fitByBytes(events.length, this.maxEventsPerMessage, (n) => Buffer.byteLength(text(events.slice(0, n), ctx)), MAX_TEXT_BYTES);
  },
  build(events, secrets, ctx) {
    return request(secrets, ctx, messageTitle(events.map((e) => e.event)), text(events, ctx));
  },
  buildTest(secrets, ctx, channelId) {
    return request(secrets, ctx, "测试", `#### ${ctx.displayName} · 测试\n\n【测试】通知通道 ${channelId} 工作正常，存件、待取和告警会发到这个群。\n\n> ${zoneFooter(ctx)}`);
  },
  classify(status, body) {
    const { errcode, errmsg } = parseErrcode(body);
    if (status === 429 || errcode === DINGTALK_TOO_FAST) return { kind: "rate-limited", detail: `errcode ${errcode ?? "-"} (sending too fast)` };
    if (status < 200 || status >= 300) return { kind: "failed", detail: `HTTP ${status}` };
    if (errcode === 0) return { kind: "ok", detail: "errcode 0" };
    if (errcode === DINGTALK_SECURITY_FAILED)
      return { kind: "failed", detail: `errcode ${errcode}: signature, keyword or IP check failed (check the signing secret and the robot's security settings)` };
    return { kind: "failed", detail: errcode === undefined ? `HTTP ${status} without errcode` : `errcode ${errcode}${errmsg ? `: ${errmsg}` : ""}` };
  },
};
