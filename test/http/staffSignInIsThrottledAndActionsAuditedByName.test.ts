import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

async function signIn(code: string, ip = "127.0.0.1") {
  return t.app.inject({ method: "POST", url: "/api/staff/session", payload: { code }, remoteAddress: ip });
}

describe("staff sign-in and actions", () => {
  it("stores codes only as scrypt hashes and signs in with an HttpOnly, SameSite=Strict, expiring cookie", async () => {
    const { code, id } = await t.staff.add("李明");
    expect(code).toMatch(/^\d{8}$/);
    const r = await signIn(code);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ name: "李明" });
    const cookie = r.headers["set-cookie"] as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=900/);
    const me = await t.app.inject({ url: "/api/staff/session", headers: { cookie: cookie.split(";")[0]! } });
    expect(me.json()).toEqual({ name: "李明", timeZone: "Asia/Shanghai" });
    const list = t.staff.list();
    expect(JSON.stringify(list)).not.toContain(code);
    expect(list[0]!.id).toBe(id);
  });

  it("refuses a wrong code, then throttles that client before hashing", async () => {
    await t.staff.add("李明");
    for (let i = 0; i < 5; i++) expect((await signIn("00000000", "10.0.0.9")).statusCode).toBe(401);
    const r = await signIn("00000000", "10.0.0.9");
    expect(r.statusCode).toBe(429);
    expect(r.json().retryAfterS).toBeGreaterThan(0);
    expect(t.locker.audits.filter((a) => a.action === "staff-sign-in" && a.outcome === "refused")).toHaveLength(5);
  });

  it("runs every action with an Actor of kind staff carrying the member's name", async () => {
    const { code } = await t.staff.add("张华");
    const cookie = ((await signIn(code)).headers["set-cookie"] as string).split(";")[0]!;
    const c = t.locker.seedCase("13900001111", "752913", "dropped_off", 2);
    const post = (url: string, payload: unknown) => t.app.inject({ method: "POST", url, payload: payload as object, headers: { cookie } });
    expect((await post(`/api/staff/cases/${c.id}/collect`, {})).json()).toMatchObject({ compartment: 2 });
    expect((await post(`/api/staff/cases/${c.id}/return`, {})).statusCode).toBe(200);
    expect((await post(`/api/staff/cases/${c.id}/reset-pin`, { newPin: "480213" })).json()).toEqual({ ok: true });
    expect((await post("/api/staff/compartments/3/open", { reason: "检查门锁" })).statusCode).toBe(200);
    expect((await post("/api/staff/compartments/6/disable", { reason: "门坏了" })).statusCode).toBe(200);
    expect((await post("/api/staff/compartments/6/enable", {})).statusCode).toBe(200);
    const staffActs = t.locker.audits.filter((a) => a.actor.kind === "staff" && a.action !== "staff-sign-in");
    expect(staffActs.map((a) => a.action)).toEqual(["staff-collect", "staff-return", "reset-pin", "staff-open", "disable", "enable"]);
    for (const a of staffActs) expect(a.actor).toMatchObject({ kind: "staff", name: "张华", via: "staff-page" });
    const foreign = await t.app.inject({
      method: "POST",
      url: "/api/staff/compartments/3/open",
      payload: { reason: "x from evil" },
      headers: { cookie, origin: "https://evil.example", host: "127.0.0.1:8080" },
    });
    expect(foreign.statusCode).toBe(403);
    expect(t.locker.audits.filter((a) => a.action === "staff-open")).toHaveLength(1);
    const illegal = await post(`/api/staff/cases/${c.id}/collect`, {});
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error).toBe("Locker_IllegalTransition");
  });

  it("ends sessions at sign-out and when the code is revoked", async () => {
    const a = await t.staff.add("甲");
    const cookie = ((await signIn(a.code)).headers["set-cookie"] as string).split(";")[0]!;
    expect((await t.app.inject({ url: "/api/staff/cases", headers: { cookie } })).statusCode).toBe(200);
    t.staff.revoke(a.id);
    const after = await t.app.inject({ url: "/api/staff/cases", headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toMatch(/员工码登录/);
    expect((await signIn(a.code)).statusCode).toBe(401);
    const b = await t.staff.add("乙");
    const c2 = ((await signIn(b.code)).headers["set-cookie"] as string).split(";")[0]!;
    await t.app.inject({ method: "DELETE", url: "/api/staff/session", headers: { cookie: c2 } });
    expect((await t.app.inject({ url: "/api/staff/cases", headers: { cookie: c2 } })).statusCode).toBe(401);
  });

  it("lists alarms pushed on the bus, newest first", async () => {
    const { code } = await t.staff.add("丙");
    const cookie = ((await signIn(code)).headers["set-cookie"] as string).split(";")[0]!;
    t.events.emit("outboxAppended", {
      id: "e1",
      type: "alarm",
      kind: "door-left-open",
      time: new Date().toISOString(),
      clockTrusted: true,
      lockerId: "x",
      compartment: 3,
      message: "door 3 open 90 s",
    });
    t.events.emit("outboxAppended", { id: "e2", type: "dropoff", time: new Date().toISOString(), clockTrusted: true, lockerId: "x" });
    const r = await t.app.inject({ url: "/api/staff/alarms", headers: { cookie } });
    expect(r.json().alarms).toHaveLength(1);
    expect(r.json().alarms[0]).toMatchObject({ kind: "door-left-open", compartment: 3 });
  });
});
