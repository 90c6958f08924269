import { describe, expect } from "vitest";
import { lockerTest } from "../support/harness.js";

describe("behind a reverse proxy (http.trustProxy) the client is the address the proxy saw, not one the client wrote", () => {
  lockerTest("rotating a forged X-Forwarded-For entry does not escape the per-client rate limit", {
    config: { http: { trustProxy: true, rateLimitPerMinute: 3 } },
    testBody: async (h) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        // The client forges the first entry; the proxy appends the address it really saw.
        const res = await fetch(`${h.baseUrl}/api/cases/00000000-0000-4000-8000-00000000000${i}`, { headers: { "x-forwarded-for": `198.51.100.${i + 1}, 203.0.113.9` } });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
    },
  });
});
