/**
 * Issue 12, must-show 2: a client on a network of its own (a Linux network
 * namespace joined by a veth pair: not loopback, not this host's address),
 * as a resident's phone on the centre's Wi-Fi would be. Phone + PIN alone are
 * refused on /api/pickup and cost no PIN attempt; the kiosk keypad endpoint
 * is refused outright; with the session opened from the kiosk's QR (proof of
 * presence) the same pickup opens the door. Every pickup's audit row names
 * the path (web, kiosk) and the client's address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { dropOff, staffCollect, STAFF, unlockFrames } from "../mqtt/helpers/daemonDriving.js";
import { createClientNetwork, netnsAvailable, startNsClient, type ClientNetwork, type NsClient } from "./support/netns.js";

const available = netnsAvailable();

describe.runIf(available)("pickup from another network", () => {
  let net: ClientNetwork;
  let phone: NsClient;
  let h: LockerHarness;

  beforeAll(async () => {
    net = createClientNetwork();
    phone = startNsClient(net);
    h = await startLocker({ config: { http: { host: net.hostAddress } } });
  }, 60_000);
  afterAll(async () => {
    phone?.close();
    await h?.stop();
    net?.remove();
  });

  /** A ready case for `phone`: drop-off, staff collect, staff return, door closed. */
  async function readyCase(phone: string): Promise<{ caseId: string; door: number }> {
    const d = await dropOff(h, phone);
    await staffCollect(h, d.caseId);
    const back = await h.daemon.locker.staffReturn(d.caseId, STAFF);
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === back.compartment)?.door === "open", "return door open", 15_000);
    h.sim.board(1).closeDoor(back.compartment);
    await waitFor(() => h.daemon.locker.getCase(d.caseId).state === "ready", "case ready", 15_000);
    return { caseId: d.caseId, door: back.compartment };
  }
  const scanKioskQr = async () => ((await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } }).qr.url;

  it("phone + PIN alone and the kiosk keypad are refused from there; with the kiosk's QR session the door opens; the audit names path and client", {
    timeout: 120_000,
  }, async () => {
    expect(h.baseUrl).toBe(`http://${net.hostAddress}:${new URL(h.baseUrl).port}`);
    const { caseId, door } = await readyCase("13912340021");
    const frames = unlockFrames(h);

    // No QR and no kiosk stream for this client either.
    const state = await phone.fetch(`${h.baseUrl}/kiosk/state`);
    expect(state.status).toBe(200);
    expect((state.body as { qr: unknown }).qr).toBeNull();
    expect((await phone.fetch(`${h.baseUrl}/kiosk/events`)).status).toBe(403);

    // Phone + PIN alone: refused, said plainly, no door, and no PIN attempt spent.
    const alone = await phone.fetch(`${h.baseUrl}/api/pickup`, { body: { phone: "13912340021", pin: "730241" } });
    expect(alone.status).toBe(403);
    expect(alone.body).toMatchObject({ code: 330, error: "Locker_PresenceRequired" });
    expect((alone.body as { message: string }).message).toMatch(/扫描柜子屏幕上的二维码/);
    // The kiosk keypad endpoint is not served here at all.
    const keypad = await phone.fetch(`${h.baseUrl}/kiosk/pickup`, { body: { phone: "13912340021", pin: "730241" } });
    expect(keypad.status).toBe(403);
    expect(keypad.body).toMatchObject({ code: 330 });
    expect(h.daemon.locker.getCase(caseId).failedPinAttempts).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(unlockFrames(h)).toBe(frames);

    // At the locker: the resident scans the kiosk's QR; the phone page opens a session with it.
    const link = await scanKioskQr();
    const opened = await phone.fetch(`${h.baseUrl}/api/sessions`, { body: { token: link.split("/d/")[1] } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const session = (opened.body as { session: string; presenceRemainingMs: number }).session;
    expect((opened.body as { presenceRemainingMs: number }).presenceRemainingMs).toBeGreaterThan(0);
    const pickup = await phone.fetch(`${h.baseUrl}/api/pickup`, { body: { session, phone: "13912340021", pin: "730241" } });
    expect(pickup.status, JSON.stringify(pickup.body)).toBe(200);
    expect(pickup.body).toMatchObject({ opened: [{ compartment: door, caseId }] });
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === door)?.door === "open", "pickup door open", 15_000);
    h.sim.board(1).closeDoor(door);
    await waitFor(() => h.daemon.locker.getCase(caseId).state === "collected", "case collected", 15_000);

    // A second case collected at the kiosk keypad, on the kiosk's own listener.
    const second = await readyCase("13912340022");
    const k = await fetch(`${h.kioskUrl}/kiosk/pickup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "13912340022", pin: "730241" }),
    });
    expect(k.status).toBe(200);
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === second.door)?.door === "open", "kiosk pickup door open", 15_000);
    h.sim.board(1).closeDoor(second.door);

    // The audit trail: which path, which client.
    const rows = h.daemon.locker.audit({ limit: 1000 }).filter((a) => a.action === "pickup" || a.action === "pickup-unlock");
    const client = (a: (typeof rows)[number]) => (a.detail as { client?: string } | undefined)?.client;
    expect(rows.find((a) => a.outcome === "refused" && a.via === "web" && /presence/.test(a.reason ?? ""))).toBeDefined();
    expect(rows.filter((a) => a.outcome === "refused" && a.via === "web").every((a) => client(a) === net.clientAddress)).toBe(true);
    const webOk = rows.find((a) => a.outcome === "ok" && a.caseId === caseId);
    expect(webOk).toMatchObject({ via: "web" });
    expect(client(webOk!)).toBe(net.clientAddress);
    const kioskOk = rows.find((a) => a.outcome === "ok" && a.caseId === second.caseId);
    expect(kioskOk).toMatchObject({ via: "kiosk" });
    expect(client(kioskOk!)).toBe("127.0.0.1");
  });
});
