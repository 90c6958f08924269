/**
 * Staff sign-in: 70 wrong codes from 14 addresses (the review's attack) lock
 * out those 14 addresses, not the staff: the real code still signs in at
 * once from the staff desk, and the burst raises an alarm in the audit trail.
 * The same wrong code sprayed from many addresses is locked per code too.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./support/buildTestApp.js";

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

const signIn = (code: string, ip: string) => t.app.inject({ method: "POST", url: "/api/staff/session", payload: { code }, remoteAddress: ip });

describe("staff sign-in lockout", () => {
  it("locks each guessing address, never the real staff, and raises a burst alarm", async () => {
    const { code } = await t.staff.add("李明");
    let guess = 10_000_000;
    const statuses: number[] = [];
    for (let a = 1; a <= 14; a++) for (let i = 0; i < 5; i++) statuses.push((await signIn(String(guess++), `10.9.0.${a}`)).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(70);
    // Every guessing address is now locked out before any hash is spent…
    for (let a = 1; a <= 14; a++) expect((await signIn(String(guess++), `10.9.0.${a}`)).statusCode).toBe(429);
    // …but the staff desk signs in at once with the real code.
    const desk = await signIn(code, "10.1.1.1");
    expect(desk.statusCode).toBe(200);
    expect(t.locker.audits.filter((a) => a.action === "alarm-staff-sign-in-burst")).toHaveLength(1);
  });

  it("locks one wrong code sprayed from many addresses, while other codes still get checked", async () => {
    await t.staff.add("李明");
    for (let a = 1; a <= 5; a++) expect((await signIn("12345678", `10.8.0.${a}`)).statusCode).toBe(401);
    expect((await signIn("12345678", "10.8.0.99")).statusCode).toBe(429);
    expect((await signIn("87654321", "10.8.0.99")).statusCode).toBe(401);
  });
});
