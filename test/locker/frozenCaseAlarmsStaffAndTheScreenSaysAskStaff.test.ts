/**
 * A case frozen by too many wrong PINs is no silent dead end: staff get a
 * `case-frozen` alarm (outbox → events/alarm, audit trail), and the
 * locker's own screen answers 423 "ask staff" (the kiosk shows and speaks
 * t.frozen), while a network client gets the usual answer that does not
 * reveal whether the phone has a case.
 */
import http from "node:http";
import { describe, expect } from "vitest";
import { lockerTest, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { dropOff, staffCollect, STAFF } from "../mqtt/helpers/daemonDriving.js";

/** POST on the public listener, or with `kiosk` on the locker screen's own listener. */
function post(h: LockerHarness, path: string, body: unknown, headers: Record<string, string> = {}, kiosk = false): Promise<{ status: number; body: string }> {
  const u = new URL(path, kiosk ? h.kioskUrl : h.baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), ...headers } },
      (res) => {
        let b = "";
        res.on("data", (c) => (b += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: b }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

describe("a frozen case", () => {
  lockerTest(
    "raises a case-frozen alarm, and only the locker's screen says to ask staff",
    {
      config: { pins: { freeAttempts: 10, freezeAfterFailures: 3, burstThreshold: 100 } },
      testBody: async (h) => {
        const phone = "13912340001";
        const d = await dropOff(h, phone);
        await staffCollect(h, d.caseId);
        const l = h.daemon.locker;
        const r = await l.staffReturn(d.caseId, STAFF);
        await waitFor(() => l.compartments().find((c) => c.number === r.compartment)?.door === "open", "return door open", 15_000);
        h.sim.board(1).closeDoor(r.compartment);
        await waitFor(() => l.getCase(d.caseId).state === "ready", "case ready", 15_000);

        // A phone page with a form session opened from the kiosk's QR (a network client at the locker).
        const session = () => l.openFormSession(l.currentDropoffLink().url, { kind: "resident", id: "web", via: "web", client: "203.0.113.9" }).session;
        const fromPhone = async () => (await post(h, "/api/pickup", { phone, pin: "480213", session: session() }, { "x-forwarded-for": "203.0.113.9" })).status;
        // Two wrong PINs from the phone: the usual refusal.
        for (let i = 0; i < 2; i++) expect(await fromPhone()).toBe(403);
        // The third, typed on the locker's screen, freezes the case: 423, ask staff.
        const third = await post(h, "/kiosk/pickup", { phone, pin: "480213" }, {}, true);
        expect(third.status).toBe(423);
        expect(JSON.parse(third.body).code).toBe(312);
        expect(l.getCase(d.caseId).state).toBe("frozen");
        // Staff are told: one alarm event in the outbox, and in the audit trail.
        const alarms = (h.daemon.db.prepare("SELECT event FROM outbox WHERE type = 'alarm'").all() as Array<{ event: string }>).map(
          (r) => JSON.parse(r.event) as { kind: string; caseId?: string; message: string },
        );
        const frozen = alarms.filter((a) => a.kind === "case-frozen");
        expect(frozen).toHaveLength(1);
        expect(frozen[0]!.caseId).toBe(d.caseId);
        expect(frozen[0]!.message).toContain(d.caseNumber);
        expect(l.audit({ caseId: d.caseId, limit: 100 }).some((a) => a.action === "alarm-case-frozen")).toBe(true);
        // The screen keeps saying so; a network client still learns nothing.
        expect((await post(h, "/kiosk/pickup", { phone, pin: "480213" }, {}, true)).status).toBe(423);
        const phoneAnswer = await post(h, "/api/pickup", { phone, pin: "480213", session: session() }, { "x-forwarded-for": "203.0.113.9" });
        expect(phoneAnswer.status).toBe(403);
        expect(JSON.parse(phoneAnswer.body).code).not.toBe(312);
      },
    },
    90_000,
  );
});
