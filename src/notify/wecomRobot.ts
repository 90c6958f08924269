/**
 * WeCom (企业微信) group robot: `POST` `{"msgtype":"markdown","markdown":{"content":…}}`
 * to the webhook URL (which carries the key). `errcode` 0 is success even
 * though failures also come with HTTP 200; 45009 = over the 20-a-minute
 * limit; 93000 = invalid key. Content at most 4096 bytes.
 */
import { eventLine, messageTitle, zoneFooter } from "./formatMessage.js";
import { fitByBytes, parseErrcode, type BuildContext, type ChannelKind, type Numbered } from "./ChannelKind.js";

/** Documented limit is 4096 bytes of content; keep a margin. */
const MAX_CONTENT_BYTES = 4000;
export const WECOM_RATE_LIMITED = 45009;
export const WECOM_INVALID_KEY = 93000;

function content(events: readonly Numbered[], ctx: BuildContext): string {
  const lines = events.map(({ event }) => {
    const line = eventLine(event, ctx);
    return event.type === "alarm" ? `<font color="warning">${line}</font>` : line;
  });
  return [`### ${ctx.displayName} · ${messageTitle(events.map((e) => e.event))}`, ...lines, `<font color="comment">${zoneFooter(ctx)}</font>`].join("\n");
}

export const wecomRobot: ChannelKind = {
  maxEventsPerMessage: 30,
  rateLimitedWaitMs: 60_000,
  fit(events, ctx) {
    return fitByBytes(events.length, this.maxEventsPerMessage, (n) => Buffer.byteLength(content(events.slice(0, n), ctx)), MAX_CONTENT_BYTES);
  },
  build(events, secrets, ctx) {
    return {
      url: secrets.url,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ msgtype: "markdown", markdown: { content: content(events, ctx) } }),
    };
  },
  buildTest(secrets, ctx, channelId) {
    const text = `### ${ctx.displayName} · 测试\n【测试】通知通道 ${channelId} 工作正常，存件、待取和告警会发到这个群。\n<font color="comment">${zoneFooter(ctx)}</font>`;
    return { url: secrets.url, headers: { "content-type": "application/json" }, body: JSON.stringify({ msgtype: "markdown", markdown: { content: text } }) };
  },
  classify(status, text) {
    const { errcode, errmsg } = parseErrcode(text);
    if (status === 429 || errcode === WECOM_RATE_LIMITED) return { kind: "rate-limited", detail: `errcode ${errcode ?? "-"} (frequency limit)` };
    if (status < 200 || status >= 300) return { kind: "failed", detail: `HTTP ${status}` };
    if (errcode === 0) return { kind: "ok", detail: "errcode 0" };
    if (errcode === WECOM_INVALID_KEY) return { kind: "failed", detail: `errcode ${errcode}: invalid robot key (check the URL file)` };
    return { kind: "failed", detail: errcode === undefined ? `HTTP ${status} without errcode` : `errcode ${errcode}${errmsg ? `: ${errmsg}` : ""}` };
  },
};
