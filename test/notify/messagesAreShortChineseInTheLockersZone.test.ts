/**
 * Pure parts of notifications: the Chinese lines staff read (times in the
 * configured zone, zone marked once), batching by size, the DingTalk
 * signature, the webhook signature, the resident notice, and the config rules
 * for channels (robot URLs only from files or LOCKERD_*).
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import type { LockerEvent } from "../../src/locker/events.js";
import { dingtalkSign } from "../../src/notify/dingtalkRobot.js";
import { eventLine, messageTitle, zoneFooter, type MessageContext } from "../../src/notify/formatMessage.js";
import { residentNotice } from "../../src/notify/residentNotice.js";
import { webhookSignature } from "../../src/notify/webhook.js";
import { wecomRobot } from "../../src/notify/wecomRobot.js";
import { localDateTime, zoneMark } from "../../src/util/localTime.js";
import { envOverrides } from "../../src/config/envOverrides.js";
import { loadChannelSecrets } from "../../src/notify/channelSecrets.js";
import { configWarnings } from "../../src/config/configWarnings.js";

const NOW = Date.parse("2026-11-29T12:30:00Z"); // 20:30 in Qujing
const ctx = (timeZone = "Asia/Shanghai"): MessageContext => ({
  timeZone,
  matterLabels: new Map([["residence-permit", "居住证办理"]]),
  displayName: "社区服务中心 错时办柜",
  nowMs: NOW,
});
const ev = (p: Partial<LockerEvent>): LockerEvent => ({ id: "x", type: "dropoff", time: "2026-11-29T12:14:00Z", clockTrusted: true, lockerId: "l", ...p }) as LockerEvent;

describe("message lines", () => {
  it("the issue's example, exactly", () => {
    expect(eventLine(ev({ caseNumber: "A01", matter: "residence-permit", compartment: 3, phone: "138****5678" }), ctx())).toBe(
      "【存件】A01 居住证办理 · 3号门 · 138****5678 · 20:14",
    );
  });

  it("times follow timeZone; another day gets its date; an unsynced clock is said", () => {
    expect(eventLine(ev({ caseNumber: "A01" }), ctx("UTC"))).toBe("【存件】A01 · 12:14");
    expect(eventLine(ev({ caseNumber: "A01", time: "2026-11-27T23:05:00Z" }), ctx())).toBe("【存件】A01 · 11月28日 07:05");
    expect(eventLine(ev({ caseNumber: "A01", clockTrusted: false }), ctx())).toContain("（时钟未校准）");
    expect(zoneFooter(ctx())).toBe("11月29日 · 时间为 UTC+8（Asia/Shanghai）");
  });

  it("alarms, overdue, titles", () => {
    expect(eventLine(ev({ type: "alarm", kind: "door-left-open", compartment: 4, message: "door 4 open for 90 s" }), ctx())).toBe(
      "【告警·门未关】4号门 · door 4 open for 90 s · 20:14",
    );
    expect(eventLine(ev({ type: "overdue", caseNumber: "B07", compartment: 2, phone: "139****0000", detail: { holdDays: 7 } }), ctx())).toBe(
      "【逾期未取】B07 · 2号门 · 139****0000 · 已放7天以上 · 20:14",
    );
    expect(messageTitle([ev({ caseNumber: "A01" })])).toBe("存件 A01");
    expect(messageTitle([ev({}), ev({}), ev({})])).toBe("3条通知");
  });

  it("a WeCom message packs as many events as fit in 4096 bytes, never fewer than one", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ seq: i + 1, event: ev({ caseNumber: `A${i}`, matter: "residence-permit", compartment: 3, phone: "138****5678" }) }));
    const c = { ...ctx(), lockerId: "l" };
    const n = wecomRobot.fit(many, c);
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThanOrEqual(30);
    const body = JSON.parse(wecomRobot.build(many.slice(0, n), { url: "http://x" }, c).body);
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
    const huge = [{ seq: 1, event: ev({ type: "alarm", kind: "tamper", message: "长".repeat(3000) }) }];
    expect(wecomRobot.fit(huge, c)).toBe(1);
  });
});

describe("signatures", () => {
  it("DingTalk: base64 HMAC-SHA256 of timestamp\\nsecret (DingTalk's documented example shape)", () => {
    const s = dingtalkSign("SECabc", 1700000000000);
    expect(s).toBe(createHmac("sha256", "SECabc").update("1700000000000\nSECabc").digest("base64"));
    expect(s).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
  it("webhook: hex HMAC-SHA256 of timestamp.body", () => {
    expect(webhookSignature("k", 1700000000, '{"a":1}')).toBe(createHmac("sha256", "k").update('1700000000.{"a":1}').digest("hex"));
  });
});

describe("local time", () => {
  it("is marked with the zone's offset", () => {
    expect(localDateTime("2026-11-29T12:14:05Z", "Asia/Shanghai")).toBe("2026-11-29 20:14:05 UTC+8");
    expect(localDateTime("2026-11-29T12:14:05Z", "UTC")).toBe("2026-11-29 12:14:05 UTC");
    expect(zoneMark("2026-11-29T12:14:05Z", "Asia/Kolkata")).toBe("UTC+5:30");
  });
});

describe("config and secrets", () => {
  const base = { dataDir: "/tmp/x" };
  it("refuses a robot URL in the file, includePhone on a robot, a zone nobody knows, and more than 20 a minute", () => {
    let problems: string[] = [];
    try {
      loadConfig({
        env: {},
        overrides: {
          ...base,
          timeZone: "Mars/Olympus",
          notify: {
            channels: [{ id: "w", kind: "wecom-robot", events: ["dropoff"], url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", includePhone: true, perMinute: 30 }],
          } as never,
        },
      });
    } catch (e) {
      problems = (e as { context: { problems: string[] } }).context.problems;
    }
    expect(problems.join("\n")).toMatch(/timeZone "Mars\/Olympus"/);
    expect(problems.join("\n")).toMatch(/notify\.channels\[0\]\.url: a wecom-robot URL carries its key/);
    expect(problems.join("\n")).toMatch(/includePhone is for webhooks only/);
    expect(problems.join("\n")).toMatch(/perMinute 30 is above the robot's limit of 20/);
  });
  it("LOCKERD_NOTIFY_<ID>_URL and _SECRET are secrets, not unknown settings; the variable wins over the file", () => {
    expect(envOverrides({ LOCKERD_NOTIFY_STAFF_WECOM_URL: "https://x", LOCKERD_NOTIFY_OFFICE_SECRET: "s" }).problems).toEqual([]);
    expect(envOverrides({ LOCKERD_NOTIFY__CHANELS: "[]" }).problems[0]).toMatch(/not a known setting/);
    const s = loadChannelSecrets({ id: "office", kind: "webhook", events: ["ready"], url: "https://office.example/hook" }, { LOCKERD_NOTIFY_OFFICE_SECRET: "from-env" });
    expect(s).toEqual({ url: "https://office.example/hook", secret: "from-env" });
    expect(() => loadChannelSecrets({ id: "office", kind: "webhook", events: ["ready"], url: "https://o" }, {})).toThrow(
      /needs a signing secret: secretFile or LOCKERD_NOTIFY_OFFICE_SECRET/,
    );
    expect(() => loadChannelSecrets({ id: "w", kind: "wecom-robot", events: ["ready"] }, {})).toThrow(/has no URL: set urlFile or LOCKERD_NOTIFY_W_URL/);
  });
  it("warns about a webhook over plain http to another machine (personal data on the wire)", () => {
    const c = loadConfig({
      env: {},
      overrides: { dataDir: "/tmp/x", notify: { channels: [{ id: "o", kind: "webhook", events: ["ready"], url: "http://office.example/hook", includePhone: true }] } as never },
    });
    expect(configWarnings(c).join("\n")).toMatch(/notify channel o: .*residents' full phones travel unencrypted; use https/);
    const local = loadConfig({
      env: {},
      overrides: { dataDir: "/tmp/x", notify: { channels: [{ id: "o", kind: "webhook", events: ["ready"], url: "http://127.0.0.1:9000/hook" }] } as never },
    });
    expect(configWarnings(local).join("\n")).not.toMatch(/notify channel/);
  });

  it("the resident is told what the channels can really do, or the centre's own words", () => {
    const none = residentNotice({ notify: { channels: [], timeoutMs: 1, retryMinMs: 1, retryMaxMs: 1, backlogAlarm: 1 } }, "138****5678");
    expect(none).toContain("本柜不会另发短信");
    const office = residentNotice(
      { notify: { channels: [{ id: "o", kind: "webhook", events: ["ready"], includePhone: true }], timeoutMs: 1, retryMinMs: 1, retryMaxMs: 1, backlogAlarm: 1 } },
      "138****5678",
    );
    expect(office).toContain("138****5678");
    expect(office).toContain("短信或微信");
    const own = residentNotice(
      { notify: { channels: [], residentNotice: "办好后我们给 {phone} 打电话。", timeoutMs: 1, retryMinMs: 1, retryMaxMs: 1, backlogAlarm: 1 } },
      "138****5678",
    );
    expect(own).toBe("办好后我们给 138****5678 打电话。");
  });
});
