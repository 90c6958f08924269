import http from "node:http";
import { describe, expect } from "vitest";
import { lockerTest } from "../support/harness.js";

/** GET over a real socket, optionally as a reverse proxy would forward it. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let body = "";
      const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body });
      if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
        res.once("data", (c) => ((body += c), req.destroy(), done()));
        return;
      }
      res.on("data", (c) => (body += c));
      res.on("end", done);
    });
    req.on("error", reject);
  });
}

describe("the drop-off QR (proof that the resident stands at the locker) is only for the locker's own screen, told apart by its own listener", () => {
  lockerTest(
    "the public listener gives no QR and no live stream even to a plain loopback client (a proxy on this machine looks exactly like that); the kiosk listener gives both",
    {
      testBody: async (h) => {
        expect(h.kioskUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(h.kioskUrl).not.toBe(h.baseUrl);
        for (const headers of [{}, { "x-forwarded-for": "203.0.113.7" }]) {
          const state = await get(`${h.baseUrl}/kiosk/state`, headers);
          expect(state.status).toBe(200);
          const parsed = JSON.parse(state.body) as { qr: unknown; compartments: unknown[] };
          expect(parsed.qr).toBeNull();
          expect(parsed.compartments.length).toBe(h.config.compartments.length);
          expect(state.body).not.toMatch(/\/d\//);

          const stream = await get(`${h.baseUrl}/kiosk/events`, headers);
          expect(stream.status).toBe(403);
          expect(stream.body).not.toMatch(/\/d\//);
        }

        const own = JSON.parse((await get(`${h.kioskUrl}/kiosk/state`)).body) as { qr: { url: string } | null };
        expect(own.qr?.url).toMatch(/\/d\/test-locker\./);
        const ownStream = await get(`${h.kioskUrl}/kiosk/events`);
        expect(ownStream.status).toBe(200);
        expect(ownStream.type).toMatch(/^text\/event-stream/);
      },
    },
  );
});
