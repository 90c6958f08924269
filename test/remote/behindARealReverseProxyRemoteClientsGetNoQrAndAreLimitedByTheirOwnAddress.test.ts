/**
 * Issue 12, must-show 1 (layout b): lockerd behind a real reverse proxy on
 * the same machine (Caddy 2.6 and nginx from Debian), TLS terminated by the
 * proxy with a certificate from a CA made in this test. Every request the
 * proxy forwards comes from 127.0.0.1, yet: no remote client gets the QR, the
 * live kiosk stream or the keypad pickup (those are for the kiosk's own
 * listener, which the proxy does not forward); a resident can still drop off
 * with the link the kiosk shows; the staff cookie is Secure; and the rate
 * limit is per client address as the proxy saw it (clients on 127.0.0.2 and
 * 127.0.0.3), whatever X-Forwarded-For a client writes itself.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../mqtt/helpers/brokers.js";
import { startLocker, waitFor } from "../helpers/lockerTest.js";
import { proxiesAvailable, startCaddy, startNginx, type RunningProxy } from "./support/proxies.js";
import { makeCa, opensslAvailable, request } from "./support/tls.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-proxy-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const available = opensslAvailable() && proxiesAvailable();
const RATE = 12;

describe.runIf(available)("behind a real reverse proxy on the same machine", () => {
  const ca = available ? makeCa(dir) : undefined;
  const cert = ca?.issue("proxy");

  for (const [kind, start] of [
    ["caddy", startCaddy],
    ["nginx", startNginx],
  ] as const) {
    it(`${kind}: remote clients never get the QR, the kiosk stream or the keypad; they drop off with the kiosk's link and are rate-limited by their own address`, {
      timeout: 90_000,
    }, async () => {
      const proxyPort = await freePort();
      const h = await startLocker({ config: { publicBaseUrl: `https://127.0.0.1:${proxyPort}`, http: { trustProxy: true, rateLimitPerMinute: RATE } } });
      let proxy: RunningProxy | undefined;
      try {
        const proxyDir = fs.mkdtempSync(path.join(dir, `${kind}-`));
        proxy = await start({ dir: proxyDir, certFile: cert!.certFile, keyFile: cert!.keyFile, upstream: new URL(h.baseUrl).host, port: proxyPort });
        const via = (p: string, o: Parameters<typeof request>[1] = {}) => request(`${proxy!.url}${p}`, { ca: ca!.ca, ...o });

        expect((await via("/healthz")).status).toBe(200);
        // Through the proxy: no QR, no live stream, no keypad.
        const state = await via("/kiosk/state");
        expect(state.status).toBe(200);
        expect(state.json().qr).toBeNull();
        expect(state.body).not.toMatch(/\/d\//);
        const stream = await via("/kiosk/events");
        expect(stream.status).toBe(403);
        const keypad = await via("/kiosk/pickup", { body: { phone: "13912340002", pin: "730519" } });
        expect(keypad.status).toBe(403);
        expect(keypad.json()).toMatchObject({ code: 330, error: "Locker_PresenceRequired" });

        // The resident scans the kiosk's QR: its link goes through the proxy, over HTTPS.
        const qr = (await request(`${h.kioskUrl}/kiosk/state`)).json<{ qr: { url: string } }>().qr;
        expect(qr.url.startsWith(`${proxy.url}/d/`)).toBe(true);
        const page = await request(qr.url, { ca: ca!.ca });
        expect(page.status).toBe(200);
        const token = qr.url.split("/d/")[1]!;
        const drop = await via("/api/dropoff", { body: { token, matter: "residence-permit", phone: "13912340002", pin: "730519", pinConfirm: "730519", consent: true } });
        expect(drop.status, drop.body).toBe(200);
        const n = drop.json<{ compartment: number }>().compartment;
        await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "open", `door ${n} open`, 15_000);
        h.sim.board(1).closeDoor(n);

        // Staff sign in through the proxy: HTTPS as far as the browser knows, so the cookie is Secure.
        const { code } = await h.daemon.staff.add("李娜");
        const signIn = await via("/api/staff/session", { body: { code } });
        expect(signIn.status).toBe(200);
        expect(String(signIn.headers["set-cookie"])).toMatch(/; Secure/);

        // Client A (127.0.0.2) forges a new X-Forwarded-For each time: it is limited by its own address anyway.
        const statuses: number[] = [];
        for (let i = 0; i <= RATE; i++) {
          const r = await via(`/api/cases/${randomUUID()}`, { localAddress: "127.0.0.2", headers: { "x-forwarded-for": `198.51.100.${i + 1}` } });
          statuses.push(r.status);
        }
        expect(statuses.slice(0, RATE)).toEqual(Array(RATE).fill(404));
        expect(statuses[RATE]).toBe(429);
        // Client B (127.0.0.3) behind the same proxy is not affected.
        expect((await via(`/api/cases/${randomUUID()}`, { localAddress: "127.0.0.3" })).status).toBe(404);
      } finally {
        await proxy?.stop();
        await h.stop();
      }
    });
  }
});
