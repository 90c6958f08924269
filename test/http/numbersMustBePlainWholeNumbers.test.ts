/**
 * Every numeric field on HTTP is a whole number written plainly, or a 400
 * naming the field: "0x1", "1e0", " 1", "1.0" and "+1" are not compartment 1
 * (fastify's coercion used to accept them), a body number sent as text is
 * refused, and 1.5 or 1e300 fail the integer/range schema. Never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./support/buildTestApp.js";

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await buildTestApp();
  const { code } = await t.staff.add("李明");
  const r = await t.app.inject({ method: "POST", url: "/api/staff/session", payload: { code } });
  cookie = (r.headers["set-cookie"] as string).split(";")[0]!;
});
afterAll(async () => t.close());

describe("numbers on HTTP", () => {
  it.each(["0x1", "1e0", "%201", "1.0", "+1", "0b1", "01", "1.5", "1e300", "Infinity", "-1"])("refuses door %s with a 400 that names the field, and opens nothing", async (n) => {
    const opens = t.locker.audits.filter((a) => a.action === "staff-open").length;
    const r = await t.app.inject({ method: "POST", url: `/api/staff/compartments/${n}/open`, payload: { reason: "check" }, headers: { cookie } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 306 });
    expect(t.locker.audits.filter((a) => a.action === "staff-open").length).toBe(opens);
  });

  it("still accepts a plain door number", async () => {
    const r = await t.app.inject({ method: "POST", url: "/api/staff/compartments/3/open", payload: { reason: "check" }, headers: { cookie } });
    expect(r.statusCode).toBe(200);
  });

  it.each([["0x10"], ["20"], [1.5], [1e300], [-1]])("refuses scancode_time %j in a body", async (v) => {
    const r = await t.app.inject({ method: "POST", url: "/api/dropoff", payload: { q: "x", scancode_time: v, matter: "a", phone: "13812345678", pin: "730241", consent: true } });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
  });

  it.each(["0x5", "5e1", "1.5"])("refuses a case list limit of %s", async (limit) => {
    const r = await t.app.inject({ url: `/api/staff/cases?limit=${limit}`, headers: { cookie } });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe("limit");
  });
});
