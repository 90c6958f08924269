/**
 * The staff page's audit list shows the newest 50 entries first (it showed
 * seq 1–50 of thousands) and pages back with ?before=<smallest seq shown>.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./support/buildTestApp.js";

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await buildTestApp();
  const { code } = await t.staff.add("李明");
  cookie = ((await t.app.inject({ method: "POST", url: "/api/staff/session", payload: { code } })).headers["set-cookie"] as string).split(";")[0]!;
  for (let i = 0; i < 130; i++) t.locker.recordAudit({ kind: "system", id: "t", via: "test" }, `entry-${i}`, "ok");
});
afterAll(async () => t.close());

describe("staff page audit", () => {
  it("lists the newest 50 first and pages back with before", async () => {
    const page = async (q = "") => (await t.app.inject({ url: `/api/staff/alarms${q}`, headers: { cookie } })).json().audit as Array<{ seq: number; action: string }>;
    const p1 = await page();
    expect(p1).toHaveLength(50);
    const newest = Math.max(...p1.map((a) => a.seq));
    expect(p1[0]!.seq).toBe(newest);
    expect(p1.map((a) => a.seq)).toEqual([...p1.map((a) => a.seq)].sort((a, b) => b - a));
    expect(p1[0]!.action).toBe("entry-129");
    const p2 = await page(`?before=${p1.at(-1)!.seq}`);
    expect(p2[0]!.seq).toBe(p1.at(-1)!.seq - 1);
    expect(p2).toHaveLength(50);
    const bad = await t.app.inject({ url: "/api/staff/alarms?before=0x10", headers: { cookie } });
    expect(bad.statusCode).toBe(400);
  });
});
