/**
 * The same 200+ malformed requests against the real daemon (lead's harness:
 * composition root over the board simulator): every one gets a 4xx JSON
 * message, nothing is logged as an error, no door moves, and the daemon is
 * still ready afterwards.
 */
import { expect } from "vitest";
import { lockerTest } from "../support/harness.js";
import { sendMalformed } from "./support/malformedRequests.js";

lockerTest(
  "malformed requests over every route get 4xx JSON from the real daemon, which stays ready and opens no door",
  {
    config: { http: { rateLimitPerMinute: 100_000 } },
    testBody: async (h) => {
      const { code } = await h.daemon.staff.add("测试员");
      const r = await fetch(`${h.baseUrl}/api/staff/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
      const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
      const unlocksBefore = h.sim.received.filter((f) => f.request.kind === "unlock").length;
      const { sent, failures } = await sendMalformed(h.baseUrl, cookie);
      expect(sent).toBeGreaterThanOrEqual(200);
      expect(failures).toEqual([]);
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(h.logLines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
      expect(h.sim.received.filter((f) => f.request.kind === "unlock").length).toBe(unlocksBefore);
    },
  },
  120_000,
);
