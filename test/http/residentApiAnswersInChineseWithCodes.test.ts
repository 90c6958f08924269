import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

const form = (token: string, extra: Record<string, unknown> = {}) => ({
  token,
  matter: "other",
  phone: "13812345678",
  pin: "864209",
  pinConfirm: "864209",
  consent: true,
  ...extra,
});

describe("resident JSON API", () => {
  it("drops off with a token, reports the case and door, then the case status", async () => {
    const { token } = t.locker.currentDropoffLink();
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token, { name: "王阿姨", note: "复印件两份" }) });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toEqual({
      caseId: "case1",
      caseNumber: "A1",
      compartment: 1,
      caseLink: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8080\/c\/case1\.[A-Za-z0-9_-]{22}$/),
      notice: expect.stringContaining("可以取了"),
    });
    expect(t.locker.audits[0]!.actor).toMatchObject({ kind: "resident", via: "web" });
    const s = await t.app.inject({ url: "/api/cases/case1" });
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ id: "case1", number: "A1", state: "dropoff_pending", compartment: 1 });
    expect(JSON.stringify(s.json())).not.toContain("13812345678");
    t.locker.closeDoor(1);
    expect((await t.app.inject({ url: "/api/cases/case1" })).json().state).toBe("dropped_off");
  });

  it("accepts the mini-program form: the whole scanned link as q plus scancode_time", async () => {
    const { url } = t.locker.currentDropoffLink();
    const { token: _t, ...rest } = form("x");
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: { ...rest, q: url, scancode_time: 1_764_000_000 } });
    expect(r.statusCode).toBe(200);
    expect(t.locker.audits[0]!.actor.via).toBe("miniprogram");
  });

  it("refuses scancode_time on the plain token form: only a mini-program scan may stretch a token's life", async () => {
    const { token } = t.locker.currentDropoffLink();
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: { ...form(token), scancode_time: 1_764_000_000 } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 306, field: "scancode_time" });
  });

  it("refuses a used token with 410 and a message telling the resident to scan again", async () => {
    const { token } = t.locker.currentDropoffLink();
    await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token) });
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token) });
    expect(r.statusCode).toBe(410);
    expect(r.json()).toMatchObject({ code: 309, error: "Locker_TokenUsed" });
    expect(r.json().message).toMatch(/重新扫描/);
  });

  it("refuses a weak PIN with the Chinese reason, and mismatched PINs by field", async () => {
    const { token } = t.locker.currentDropoffLink();
    const weak = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token, { pin: "123456", pinConfirm: "123456" }) });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 305, error: "Locker_WeakPin" });
    expect(weak.json().message).toMatch(/密码太简单/);
    const mismatch = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token, { pinConfirm: "864208" }) });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: 306, field: "pinConfirm" });
    expect(mismatch.json().message).toMatch(/两次输入的密码不一致/);
  });

  it("names the field a resident got wrong (schema validation)", async () => {
    const { token } = t.locker.currentDropoffLink();
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token, { phone: "1381234567" }) });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 306, field: "phone" });
    expect(r.json().message).toMatch(/11位手机号/);
    const noConsent = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: form(token, { consent: false }) });
    expect(noConsent.json()).toMatchObject({ field: "consent" });
  });

  it("pickup: wrong PINs are refused without saying whether the phone has a case, then locked out with a wait time", async () => {
    t.locker.seedCase("13900001111", "752913", "ready", 4);
    const wrong = await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13900001111", pin: "111112" } });
    const unknown = await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13700009999", pin: "111112" } });
    expect(wrong.statusCode).toBe(403);
    expect(unknown.statusCode).toBe(403);
    expect(wrong.json()).toEqual(unknown.json());
    await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13900001111", pin: "111113" } });
    await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13900001111", pin: "111114" } });
    const locked = await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13900001111", pin: "752913" } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 311, retryAfterS: 60 });
    expect(locked.headers["retry-after"]).toBe("60");
    const metrics = (await t.app.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/lockerd_pin_failures_total\{reason="Locker_PickupRefused"\} 4/);
    expect(metrics).toMatch(/lockerd_pin_failures_total\{reason="Locker_Throttled"\} 1/);
  });

  it("pickup with the right PIN opens the door", async () => {
    t.locker.seedCase("13900001111", "752913", "ready", 5);
    // Off the kiosk listener the keypad endpoint refuses, and says where to collect instead.
    const away = await t.app.inject({ method: "POST", url: "/kiosk/pickup", payload: { phone: "13900001111", pin: "752913" } });
    expect(away.statusCode).toBe(403);
    expect(away.json()).toMatchObject({ code: 330, error: "Locker_PresenceRequired" });
    expect(away.json().message).toMatch(/扫描柜子屏幕上的二维码/);
    const kiosk = await t.listenKiosk();
    const r = await fetch(`${kiosk}/kiosk/pickup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "13900001111", pin: "752913" }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ opened: [{ compartment: 5, caseNumber: "A1", caseId: "case1" }] });
    expect(t.locker.audits.at(-1)!.actor.via).toBe("kiosk");
  });

  it("serves the drop-off page for a live token and a friendly scan-again page otherwise", async () => {
    const { token } = t.locker.currentDropoffLink();
    const ok = await t.app.inject({ url: `/d/${token}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["content-type"]).toMatch(/text\/html/);
    expect(ok.body).toContain("开门存件");
    const old = await t.app.inject({ url: "/d/expired-token-123" });
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain("重新扫一扫");
    const json = await t.app.inject({ url: "/d/expired-token-123", headers: { accept: "application/json" } });
    expect(json.json()).toMatchObject({ code: 308, error: "Locker_TokenExpired" });
    const info = await t.app.inject({ url: `/api/dropoff/${token}` });
    expect(info.json().matters.map((m: { id: string }) => m.id)).toContain("residence-permit");
  });
});
