/**
 * Issue 13, must-show 1: each channel kind against a local HTTP server that
 * answers like the real service (success, rate-limited, bad key, 5xx,
 * timeout). The request shape and signature are checked per kind, and a
 * rate-limited robot still gets every event, in order, batched.
 */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { NotifyChannelConfig } from "../../src/config/LockerConfig.js";
import { startFakeService, type FakeService, type Reply } from "./support/fakeService.js";
import { startNotifyRig, type NotifyRig } from "./support/notifyRig.js";
import { localClock } from "../../src/util/localTime.js";

// Events happen "now" (a fixed date would be another day, and get its date, after midnight in Qujing).
const AT = new Date().toISOString();
const HHMM = localClock(AT, "Asia/Shanghai");
const FAST = { retryMinMs: 100, retryMaxMs: 400, timeoutMs: 600, windowMs: 1000, rateLimitedWaitMs: 300 };

let rig: NotifyRig | undefined;
let svc: FakeService | undefined;
afterEach(async () => {
  await rig?.stop();
  await svc?.close();
  rig = svc = undefined;
});

const wecom = (events: NotifyChannelConfig["events"] = ["dropoff", "ready", "alarm"]): NotifyChannelConfig => ({ id: "staff-wecom", kind: "wecom-robot", events });
const wecomEnv = (s: FakeService) => ({ LOCKERD_NOTIFY_STAFF_WECOM_URL: `${s.url}?key=6b1c-secret-key` });
const dropoff = (n: number) => ({
  type: "dropoff" as const,
  caseId: `case-${n}`,
  caseNumber: `A${String(n).padStart(2, "0")}`,
  compartment: 3,
  matter: "residence-permit",
  phone: "138****5678",
  time: AT,
});

/** Every event's case number in the order the service saw them, across all messages. */
function caseNumbersIn(svc: FakeService): string[] {
  return svc.received.filter((r) => r.json?.markdown).flatMap((r) => [...String(r.json.markdown.content ?? r.json.markdown.text).matchAll(/【[^】]+】(A\d\d)/g)].map((m) => m[1]!));
}

describe("wecom-robot", () => {
  it("success: markdown JSON to the URL with its key, the Chinese line staff read, cursor moved", async () => {
    svc = await startFakeService();
    rig = await startNotifyRig({ channels: [wecom()], env: wecomEnv(svc), timing: FAST });
    rig.emit(dropoff(1));
    await svc.waitFor((r) => r.length === 1, "one message");
    const [req] = svc.received;
    expect(req!.url).toBe("/hook?key=6b1c-secret-key");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(Object.keys(req!.json)).toEqual(["msgtype", "markdown"]);
    expect(req!.json.msgtype).toBe("markdown");
    const content: string = req!.json.markdown.content;
    expect(content).toContain(`【存件】A01 居住证办理 · 3号门 · 138****5678 · ${HHMM}`);
    expect(content).toContain("UTC+8");
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "cursor moved");
    expect(rig.service.status()[0]).toMatchObject({ lastError: null, failures: 0 });
  });

  it("rate-limited (errcode 45009) and 2 a window: all 9 events arrive, in order, in fewer messages", async () => {
    svc = await startFakeService();
    svc.script.push({ status: 200, body: { errcode: 45009, errmsg: "api freq out of limit" } });
    rig = await startNotifyRig({ channels: [{ ...wecom(), perMinute: 2 }], env: wecomEnv(svc), timing: { ...FAST, perWindow: 2 } });
    for (let i = 1; i <= 9; i++) rig.emit(dropoff(i));
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "all delivered", 15_000);
    const ok = svc.received.slice(1); // the first answer was the rate-limit one
    const delivered = ok.flatMap((r) => [...String(r.json.markdown.content).matchAll(/【存件】(A\d\d)/g)].map((m) => m[1]!));
    expect(delivered).toEqual(["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09"]);
    expect(ok.length).toBeLessThan(9);
    // Never more than 2 requests within any 1 s window.
    for (let i = 2; i < svc.received.length; i++) expect(svc.received[i]!.at - svc.received[i - 2]!.at).toBeGreaterThanOrEqual(990);
    expect(rig.service.status()[0]!.lastError).toContain("45009");
  });

  it("bad key (errcode 93000): the event waits, the error is shown, and it goes out once the key is fixed", async () => {
    svc = await startFakeService({ status: 200, body: { errcode: 93000, errmsg: "invalid webhook url" } });
    rig = await startNotifyRig({ channels: [wecom()], env: wecomEnv(svc), timing: FAST });
    rig.emit(dropoff(1));
    await waitUntil(() => rig!.service.status()[0]!.failures >= 2, "retried and still refused");
    const st = rig.service.status()[0]!;
    expect(st.lastError).toContain("93000");
    expect(st.backlog).toBe(1);
    expect(st.failures).toBeGreaterThanOrEqual(2);
    svc.fallback = { status: 200, body: { errcode: 0, errmsg: "ok" } };
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "delivered after the fix");
    expect(caseNumbersIn(svc).every((n) => n === "A01")).toBe(true);
  });

  it("5xx and a timeout are retried with backoff; nothing is lost or reordered", async () => {
    svc = await startFakeService();
    svc.script.push({ status: 502, body: {} }, { delayMs: 2000, status: 200, body: { errcode: 0 } });
    rig = await startNotifyRig({ channels: [wecom()], env: wecomEnv(svc), timing: { ...FAST, perWindow: 20 } });
    rig.emit(dropoff(1));
    rig.emit(dropoff(2));
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "delivered", 15_000);
    expect(svc.received.length).toBeGreaterThanOrEqual(3);
    const last = svc.received.at(-1)!.json.markdown.content as string;
    expect([...last.matchAll(/【存件】(A\d\d)/g)].map((m) => m[1])).toEqual(["A01", "A02"]);
    // Backoff: the second attempt came at least retryMinMs after the first.
    expect(svc.received[1]!.at - svc.received[0]!.at).toBeGreaterThanOrEqual(90);
  });

  it("events the channel did not ask for are skipped, not sent", async () => {
    svc = await startFakeService();
    rig = await startNotifyRig({ channels: [wecom(["ready"])], env: wecomEnv(svc), timing: FAST });
    rig.emit(dropoff(1));
    rig.emit({ ...dropoff(1), type: "ready", compartment: 5 });
    await svc.waitFor((r) => r.length === 1, "one message");
    await new Promise((r) => setTimeout(r, 300));
    expect(svc.received).toHaveLength(1);
    expect(svc.received[0]!.json.markdown.content).toContain("【已放回 待取】A01 居住证办理 · 5号门");
  });
});

describe("outbox rows a channel cannot read", () => {
  it("are passed over; the events after them still go out", async () => {
    svc = await startFakeService();
    rig = await startNotifyRig({ channels: [wecom()], env: wecomEnv(svc), timing: FAST });
    rig.db.prepare("INSERT INTO outbox (id, type, event, created_at) VALUES ('bad', 'dropoff', '{not json', ?)").run(AT);
    rig.emit(dropoff(2));
    await svc.waitFor((r) => r.length === 1, "the good event");
    expect(caseNumbersIn(svc)).toEqual(["A02"]);
  });
});

describe("dingtalk-robot", () => {
  const ding = (): NotifyChannelConfig => ({ id: "ding", kind: "dingtalk-robot", events: ["dropoff", "alarm"] });
  const SECRET = "SEC0123456789abcdef";

  it("signed: timestamp + HMAC-SHA256(secret, timestamp\\nsecret) base64 in the query; markdown title/text and at", async () => {
    svc = await startFakeService();
    rig = await startNotifyRig({ channels: [ding()], env: { LOCKERD_NOTIFY_DING_URL: `${svc.url}?access_token=tok123`, LOCKERD_NOTIFY_DING_SECRET: SECRET }, timing: FAST });
    const t0 = Date.now();
    rig.emit(dropoff(1));
    await svc.waitFor((r) => r.length === 1, "one message");
    const u = new URL(svc.received[0]!.url, "http://x");
    expect(u.searchParams.get("access_token")).toBe("tok123");
    const ts = Number(u.searchParams.get("timestamp"));
    expect(Math.abs(ts - t0)).toBeLessThan(5000);
    expect(u.searchParams.get("sign")).toBe(createHmac("sha256", SECRET).update(`${ts}\n${SECRET}`).digest("base64"));
    // urlencoded on the wire (base64 has + / =)
    expect(svc.received[0]!.url).not.toMatch(/sign=[^&]*[+/=]/);
    const j = svc.received[0]!.json;
    expect(j.msgtype).toBe("markdown");
    expect(j.markdown.title).toBe("存件 A01");
    expect(j.markdown.text).toContain(`【存件】A01 居住证办理 · 3号门 · 138****5678 · ${HHMM}`);
    expect(j.at).toEqual({ atMobiles: [], isAtAll: false });
  });

  it("130101 (too fast) waits and resends everything; 310000 (signature) is shown as the last error", async () => {
    svc = await startFakeService();
    svc.script.push({ status: 200, body: { errcode: 130101, errmsg: "send too fast" } }, { status: 200, body: { errcode: 310000, errmsg: "sign not match" } });
    rig = await startNotifyRig({ channels: [ding()], env: { LOCKERD_NOTIFY_DING_URL: svc.url, LOCKERD_NOTIFY_DING_SECRET: SECRET }, timing: FAST });
    rig.emit(dropoff(1));
    rig.emit(dropoff(2));
    await svc.waitFor((r) => r.length >= 2, "two attempts");
    await waitUntil(() => rig!.service.status()[0]!.lastError?.includes("310000") === true, "signature error recorded");
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "delivered");
    const last = svc.received.at(-1)!.json.markdown.text as string;
    expect([...last.matchAll(/【存件】(A\d\d)/g)].map((m) => m[1])).toEqual(["A01", "A02"]);
  });

  it("without a signing secret the URL is used as given", async () => {
    svc = await startFakeService();
    rig = await startNotifyRig({ channels: [ding()], env: { LOCKERD_NOTIFY_DING_URL: `${svc.url}?access_token=tok` }, timing: FAST });
    rig.emit(dropoff(1));
    await svc.waitFor((r) => r.length === 1, "one message");
    expect(svc.received[0]!.url).toBe("/hook?access_token=tok");
  });
});

describe("webhook", () => {
  const SECRET = "back-office-shared-secret";
  const hook = (includePhone?: boolean): NotifyChannelConfig => ({
    id: "office",
    kind: "webhook",
    events: ["dropoff", "ready"],
    ...(includePhone !== undefined ? { includePhone } : {}),
  });

  function verify(r: { headers: Record<string, unknown>; body: string }): boolean {
    const ts = String(r.headers["x-lockerd-timestamp"]);
    const sig = createHmac("sha256", SECRET).update(`${ts}.${r.body}`).digest("hex");
    return r.headers["x-lockerd-signature"] === `sha256=${sig}`;
  }

  it("one signed POST per event: id header = body id, HMAC over timestamp.body, no full phone by default", async () => {
    svc = await startFakeService({ status: 204 });
    rig = await startNotifyRig({ channels: [{ ...hook(), url: svc.url }], env: { LOCKERD_NOTIFY_OFFICE_SECRET: SECRET }, timing: FAST, phones: { "case-1": "13812345678" } });
    const a = rig.emit(dropoff(1));
    const b = rig.emit({ ...dropoff(1), type: "ready", compartment: 5 });
    await svc.waitFor((r) => r.length === 2, "two posts");
    const [r1, r2] = svc.received;
    expect(verify(r1!)).toBe(true);
    expect(verify(r2!)).toBe(true);
    expect(r1!.headers["x-lockerd-event-id"]).toBe(a.id);
    expect(r1!.json).toMatchObject({ id: a.id, type: "dropoff", phone: "138****5678", caseNumber: "A01" });
    expect(r2!.json).toMatchObject({ id: b.id, type: "ready" });
    expect(r2!.json.seq).toBeGreaterThan(r1!.json.seq);
    expect(r2!.body).not.toContain("13812345678");
    expect(Math.abs(Number(r1!.headers["x-lockerd-timestamp"]) - Date.now() / 1000)).toBeLessThan(10);
    // A tampered body no longer verifies.
    expect(verify({ ...r1!, body: r1!.body.replace("A01", "A02") })).toBe(false);
  });

  it("includePhone: the full phone on ready only; 500 and a timeout are retried with the same id", async () => {
    svc = await startFakeService({ status: 200, body: { ok: true } });
    svc.script.push({ status: 500 }, { delayMs: 1500, status: 200 });
    rig = await startNotifyRig({ channels: [{ ...hook(true), url: svc.url }], env: { LOCKERD_NOTIFY_OFFICE_SECRET: SECRET }, timing: FAST, phones: { "case-1": "13812345678" } });
    const a = rig.emit(dropoff(1));
    const b = rig.emit({ ...dropoff(1), type: "ready", compartment: 5 });
    await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "both delivered", 15_000);
    const ids = svc.received.map((r) => r.json.id);
    expect(ids.slice(0, 3)).toEqual([a.id, a.id, a.id]);
    expect(ids.at(-1)).toBe(b.id);
    expect(new Set(ids)).toEqual(new Set([a.id, b.id]));
    const ready = svc.received.at(-1)!;
    expect(ready.json.residentPhone).toBe("13812345678");
    expect(svc.received[0]!.json.residentPhone).toBeUndefined();
    expect(svc.received.every(verify)).toBe(true);
  });
});

describe("every kind through 5xx, a timeout, its rate-limit answer and a refusal, then success", () => {
  const kinds: Array<[string, NotifyChannelConfig, (s: FakeService) => NodeJS.ProcessEnv, { limited: Reply; refused: Reply; ok: Reply }]> = [
    ["wecom-robot", wecom(["dropoff"]), wecomEnv, { limited: { body: { errcode: 45009 } }, refused: { body: { errcode: 93000 } }, ok: { body: { errcode: 0 } } }],
    [
      "dingtalk-robot",
      { id: "ding", kind: "dingtalk-robot", events: ["dropoff"] },
      (s) => ({ LOCKERD_NOTIFY_DING_URL: s.url, LOCKERD_NOTIFY_DING_SECRET: "SECx" }),
      { limited: { body: { errcode: 130101 } }, refused: { body: { errcode: 310000 } }, ok: { body: { errcode: 0 } } },
    ],
    [
      "webhook",
      { id: "office", kind: "webhook", events: ["dropoff"], url: "" },
      () => ({ LOCKERD_NOTIFY_OFFICE_SECRET: "k" }),
      { limited: { status: 429, headers: { "retry-after": "1" } }, refused: { status: 401 }, ok: { status: 202 } },
    ],
  ];
  for (const [name, channel, env, answers] of kinds) {
    it(`${name}: the same event is retried through all of them and arrives once acknowledged`, async () => {
      svc = await startFakeService(answers.ok);
      svc.script.push({ status: 503 }, { delayMs: 1500, ...answers.ok }, answers.limited, answers.refused);
      rig = await startNotifyRig({ channels: [channel.kind === "webhook" ? { ...channel, url: svc.url } : channel], env: env(svc), timing: { ...FAST, perWindow: 20 } });
      const e = rig.emit(dropoff(7));
      await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "delivered after five attempts", 20_000);
      expect(svc.received).toHaveLength(5);
      for (const r of svc.received) expect(r.body).toContain(channel.kind === "webhook" ? e.id : "A07");
      expect(rig.service.status()[0]).toMatchObject({ failures: 0, lastError: expect.stringMatching(channel.kind === "webhook" ? /401/ : /93000|310000/) });
    });
  }
});

describe("channels are independent", () => {
  it("a webhook that never answers does not hold up a robot", async () => {
    svc = await startFakeService();
    const dead = await startFakeService({ delayMs: 60_000, status: 200 });
    try {
      rig = await startNotifyRig({
        channels: [wecom(), { id: "office", kind: "webhook", events: ["dropoff"], url: dead.url }],
        env: { ...wecomEnv(svc), LOCKERD_NOTIFY_OFFICE_SECRET: "s" },
        timing: { ...FAST, timeoutMs: 5000 },
      });
      rig.emit(dropoff(1));
      await waitUntil(() => rig!.service.status()[0]!.backlog === 0, "robot delivered while the webhook hangs", 4000);
      expect(svc.received).toHaveLength(1);
      // The webhook's request is still hanging (timeout 5 s): its event still waits.
      expect(rig.service.status()[1]!.backlog).toBe(1);
    } finally {
      await rig?.stop();
      rig = undefined;
      await dead.close();
    }
  });
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
