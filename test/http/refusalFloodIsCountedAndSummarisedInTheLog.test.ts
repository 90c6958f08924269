/**
 * A flood of refused requests (wrong PINs from hundreds of addresses) must
 * not write one log line each: past HTTP_REFUSALS_LOGGED_PER_MINUTE lines a
 * minute the rest are counted by status and code and summarised in one line
 * (at the end of the minute, or when the app closes), never dropped.
 */
import { describe, expect, it } from "vitest";
import { HTTP_REFUSALS_LOGGED_PER_MINUTE } from "../../src/http/buildPublicApp.js";
import { buildTestApp } from "../support/harness.js";

const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as { msg: string; count?: number; reasons?: Record<string, number> });

describe("refused HTTP requests in the log", () => {
  it("logs the first refusals of a minute one by one, then counts the rest by status and code in one summary line", async () => {
    const t = await buildTestApp();
    const flood = HTTP_REFUSALS_LOGGED_PER_MINUTE + 15;
    for (let i = 0; i < flood; i++) {
      // The keypad route away from the kiosk listener: refused before any PIN work.
      const r = await t.app.inject({ method: "POST", url: "/kiosk/pickup", payload: { phone: "13812345678", pin: "864209" } });
      expect(r.statusCode).toBe(403);
    }
    for (let i = 0; i < 4; i++) {
      const r = await t.app.inject({ method: "POST", url: "/kiosk/pickup", payload: { phone: "1", pin: "864209" } });
      expect(r.statusCode).toBe(400);
    }
    const oneByOne = () => parsed(t.logLines).filter((l) => l.msg === "request refused");
    expect(oneByOne()).toHaveLength(HTTP_REFUSALS_LOGGED_PER_MINUTE);
    expect(parsed(t.logLines).some((l) => l.msg.includes("more refusals"))).toBe(false);
    await t.close();
    const summaries = parsed(t.logLines).filter((l) => l.msg.includes("more refusals in the last minute"));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.count).toBe(19);
    expect(summaries[0]!.reasons).toEqual({ "403 Locker_PresenceRequired": 15, "400 Locker_InvalidInput": 4 });
    expect(oneByOne()).toHaveLength(HTTP_REFUSALS_LOGGED_PER_MINUTE);
  });
});
