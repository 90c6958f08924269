/**
 * Issue 12, must-show 1 (lockerd's own HTTPS): a real daemon serving the
 * public pages over TLS with a certificate from a CA made in this test. The
 * resident's drop-off and pickup and the staff's collect and return all run
 * over HTTPS with a client that trusts only that CA; the staff cookie is
 * `Secure`; a renewed certificate is served after SIGHUP (reloadTls) and
 * after the file simply changes, without a restart.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect } from "vitest";
import { lockerTest, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { fingerprintOf, makeCa, opensslAvailable, request } from "./support/tls.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-tls-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const available = opensslAvailable();
const ca = available ? makeCa(dir) : undefined;
const first = ca?.issue("server-1");

const PHONE = "13912340001";
const PIN = "730519";

async function closeWhenOpen(h: LockerHarness, n: number): Promise<void> {
  await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "open", `door ${n} open`, 15_000);
  h.sim.board(1).closeDoor(n);
  await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "closed", `door ${n} closed`, 15_000);
}

describe.runIf(available)("lockerd serves HTTPS itself when given a certificate and key", () => {
  lockerTest(
    "drop-off, staff collect/return and pickup over real TLS; the staff cookie is Secure; the kiosk listener stays loopback HTTP",
    {
      config: { publicBaseUrl: "https://127.0.0.1", http: { certFile: first?.certFile, keyFile: first?.keyFile } },
      testBody: async (h) => {
        const opts = { ca: ca!.ca };
        expect(h.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        // Plain HTTP to the HTTPS port gets no page.
        await expect(request(h.baseUrl.replace("https:", "http:") + "/healthz")).rejects.toThrow();
        const health = await request(`${h.baseUrl}/healthz`, opts);
        expect(health.status).toBe(200);
        expect(health.fingerprint).toBe(fingerprintOf(first!.certFile));

        // The resident scans the kiosk's QR (shown by the kiosk listener only) and drops off over HTTPS.
        const qr = (await request(`${h.kioskUrl}/kiosk/state`)).json<{ qr: { url: string } }>().qr;
        expect(qr.url).toMatch(/^https:\/\/127\.0\.0\.1\/d\//);
        const token = qr.url.split("/d/")[1]!;
        const page = await request(`${h.baseUrl}/d/${token}`, opts);
        expect(page.status).toBe(200);
        expect(page.headers["content-type"]).toMatch(/text\/html/);
        expect((await request(`${h.baseUrl}/api/dropoff/${token}`, opts)).status).toBe(200);
        const drop = await request(`${h.baseUrl}/api/dropoff`, { ...opts, body: { token, matter: "residence-permit", phone: PHONE, pin: PIN, pinConfirm: PIN, consent: true } });
        expect(drop.status, drop.body).toBe(200);
        const { caseId, compartment } = drop.json<{ caseId: string; compartment: number }>();
        await closeWhenOpen(h, compartment);
        expect((await request(`${h.baseUrl}/api/cases/${caseId}`, opts)).json()).toMatchObject({ state: "dropped_off" });

        // Staff sign in over HTTPS: the session cookie is Secure (and HttpOnly, SameSite=Strict).
        const { code } = await h.daemon.staff.add("王芳");
        const signIn = await request(`${h.baseUrl}/api/staff/session`, { ...opts, body: { code } });
        expect(signIn.status).toBe(200);
        const setCookie = String(signIn.headers["set-cookie"]);
        expect(setCookie).toMatch(/; Secure/);
        expect(setCookie).toMatch(/HttpOnly/);
        const cookie = setCookie.split(";")[0]!;
        const collect = await request(`${h.baseUrl}/api/staff/cases/${caseId}/collect`, { ...opts, body: {}, headers: { cookie } });
        expect(collect.status, collect.body).toBe(200);
        await closeWhenOpen(h, collect.json<{ compartment: number }>().compartment);
        const ret = await request(`${h.baseUrl}/api/staff/cases/${caseId}/return`, { ...opts, body: {}, headers: { cookie } });
        expect(ret.status, ret.body).toBe(200);
        const back = ret.json<{ compartment: number }>().compartment;
        await closeWhenOpen(h, back);
        await waitFor(() => h.daemon.locker.getCase(caseId).state === "ready", "case ready");

        // The kiosk's own listener is loopback HTTP: a Secure cookie would be dropped there, so it is not sent Secure.
        const kioskSignIn = await request(`${h.kioskUrl}/api/staff/session`, { body: { code } });
        expect(kioskSignIn.status).toBe(200);
        expect(String(kioskSignIn.headers["set-cookie"])).not.toMatch(/Secure/);

        // Pickup at the locker (the keypad on the kiosk's own listener) opens the returned door.
        const pickup = await request(`${h.kioskUrl}/kiosk/pickup`, { body: { phone: PHONE, pin: PIN } });
        expect(pickup.status, pickup.body).toBe(200);
        expect(pickup.json()).toMatchObject({ opened: [{ compartment: back }] });
        await closeWhenOpen(h, back);
        await waitFor(() => h.daemon.locker.getCase(caseId).state === "collected", "case collected");
      },
    },
    90_000,
  );

  lockerTest(
    "a renewed certificate is served after SIGHUP and after the file changes, without a restart",
    {
      config: { publicBaseUrl: "https://127.0.0.1", http: { certFile: path.join(dir, "live.pem"), keyFile: path.join(dir, "live.key") } },
      testBody: async (h) => {
        const opts = { ca: ca!.ca };
        const live = { certFile: path.join(dir, "live.pem"), keyFile: path.join(dir, "live.key") };
        expect((await request(`${h.baseUrl}/healthz`, opts)).fingerprint).toBe(fingerprintOf(live.certFile));

        // SIGHUP path: renew by rename (as certbot does), then reload.
        const renewed = ca!.issue("server-3");
        const install = (from: { certFile: string; keyFile: string }) => {
          fs.copyFileSync(from.keyFile, `${live.keyFile}.new`);
          fs.copyFileSync(from.certFile, `${live.certFile}.new`);
          fs.renameSync(`${live.keyFile}.new`, live.keyFile);
          fs.renameSync(`${live.certFile}.new`, live.certFile);
        };
        install(renewed);
        expect(h.daemon.reloadTls()).toBe(true);
        expect((await request(`${h.baseUrl}/healthz`, opts)).fingerprint).toBe(fingerprintOf(renewed.certFile));

        // A broken pair is refused and the working one kept.
        fs.writeFileSync(live.certFile, "not a certificate");
        expect(h.daemon.reloadTls()).toBe(false);
        expect((await request(`${h.baseUrl}/healthz`, opts)).status).toBe(200);
        expect(h.logLines.some((l) => l.includes("HTTPS certificate reload failed"))).toBe(true);

        // File-change path: no signal, the watcher notices the new files (polled every 5 s).
        const third = ca!.issue("server-4");
        install(third);
        await waitFor(async () => (await request(`${h.baseUrl}/healthz`, opts)).fingerprint === fingerprintOf(third.certFile), "the watcher serves the new certificate", 20_000);
      },
    },
    60_000,
  );
});

// The second test's starting pair, in place before its daemon starts.
if (ca) {
  const p = ca.issue("server-2");
  fs.copyFileSync(p.certFile, path.join(dir, "live.pem"));
  fs.copyFileSync(p.keyFile, path.join(dir, "live.key"));
}
