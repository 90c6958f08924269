import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { waitFor } from "../support/waitFor.js";
import { buildCore, type CoreHarness, RESIDENT, STAFF } from "../support/harness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

const PHONE = "13812345678";
const PIN = "482915";

async function setup(patch?: Parameters<typeof buildCore>[0]["config"]) {
  const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
  const clock = new ManualClock(Date.now());
  h = buildCore({ hardware: hw, clock, config: patch });
  await h.service.start();
  return { hw, clock, s: h.service };
}

describe("door cycles decide case state (in-memory hardware)", () => {
  it("drop-off counts only when the door opened and closed again, then staff collect, return and pickup", async () => {
    const { hw, s } = await setup();
    const link = s.currentDropoffLink();
    const d = await s.startDropoff({ token: link.token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    expect(d.compartment).toBe(1);
    expect(s.getCase(d.caseId).state).toBe("dropoff_pending");
    hw.set(1, "open");
    expect(s.getCase(d.caseId).state).toBe("dropoff_pending");
    hw.set(1, "closed");
    expect(s.getCase(d.caseId).state).toBe("dropped_off");
    expect(s.compartments()[0]!.status).toBe("holding");

    await s.staffCollect(d.caseNumber, STAFF);
    hw.set(1, "open");
    hw.set(1, "closed");
    expect(s.getCase(d.caseId).state).toBe("with_staff");
    expect(s.compartments()[0]!.status).toBe("free");

    const r = await s.staffReturn(d.caseId, STAFF);
    expect(s.getCase(d.caseId).state).toBe("return_pending");
    hw.set(r.compartment, "open");
    hw.set(r.compartment, "closed");
    expect(s.getCase(d.caseId).state).toBe("ready");

    const opened = await s.pickup(PHONE, PIN, RESIDENT);
    expect(opened.map((o) => o.caseId)).toEqual([d.caseId]);
    expect(s.getCase(d.caseId).state).toBe("collecting");
    hw.set(r.compartment, "open");
    hw.set(r.compartment, "closed");
    expect(s.getCase(d.caseId).state).toBe("collected");
    expect(h!.published.map((e) => e.type)).toEqual(["dropoff", "ready", "collected"]);
    expect(h!.published.every((e) => e.phone === "138****5678")).toBe(true);
    const outbox = h!.service.ledger.outbox.all().map((e) => e.event.id);
    expect(outbox).toEqual(h!.published.map((e) => e.id));
  });

  it("two staff opening the same case at once: the second is told the door is busy, one pulse goes out", async () => {
    const { hw, s } = await setup();
    const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    const before = hw.unlocks.length;
    const [a, b] = await Promise.allSettled([s.staffCollect(d.caseId, STAFF), s.staffCollect(d.caseId, STAFF)]);
    expect(a.status).toBe("fulfilled");
    expect(b).toMatchObject({ status: "rejected", reason: { code: ErrorCode.Locker_Busy } });
    expect(hw.unlocks.length).toBe(before + 1);
  });

  it("a pickup whose lock will not open leaves the case ready, notes the fault and alarms", async () => {
    const { hw, s } = await setup();
    const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    await s.staffCollect(d.caseId, STAFF);
    hw.set(1, "open"), hw.set(1, "closed");
    await s.staffReturn(d.caseId, STAFF);
    hw.set(1, "open"), hw.set(1, "closed");
    hw.jammed.add(1);
    await expect(s.pickup(PHONE, PIN, RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Board_LockFault });
    expect(s.getCase(d.caseId).state).toBe("ready");
    expect(s.compartments()[0]).toMatchObject({ status: "holding", faultReason: expect.stringMatching(/lock did not open/) });
    expect(h!.published.filter((e) => e.kind === "lock-fault").map((e) => e.caseId)).toEqual([d.caseId]);
  });

  it("a staff open needs a reason, is audited with it, and changes no case", async () => {
    const { hw, s } = await setup();
    await expect(s.staffOpen(2, "  ", STAFF)).rejects.toMatchObject({ code: ErrorCode.Locker_InvalidInput });
    await expect(s.staffOpen(9, "check", STAFF)).rejects.toMatchObject({ code: ErrorCode.Locker_CompartmentNotFound });
    await s.staffOpen(2, "cleaning", STAFF);
    hw.set(2, "open"), hw.set(2, "closed");
    const trail = s.audit({}).filter((a) => a.compartment === 2);
    expect(trail.map((a) => [a.action, a.reason ?? ""])).toEqual([
      ["staff-open", "cleaning"],
      ["door-opened", ""],
      ["door-closed", ""],
    ]);
    expect(h!.published.filter((e) => e.kind === "tamper")).toEqual([]);
  });

  it("when the board is offline as the open timer runs out, the compartment stays held: the drop-off counts, a pickup is undone", async () => {
    const { hw, s } = await setup((c) => (c.rules.doorOpenTimeoutMs = 200));
    const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    hw.online = false;
    await waitFor(() => s.getCase(d.caseId).state !== "dropoff_pending", "open timer");
    expect(s.getCase(d.caseId).state).toBe("dropped_off");
    expect(s.compartments()[0]!.status).toBe("holding");
    expect(s.audit({ caseId: d.caseId }).some((a) => a.action === "door-unseen")).toBe(true);
    // online again: the same timer with the door seen shut cancels instead
    hw.online = true;
    const d2 = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: "13812345679", pin: PIN, consent: true }, RESIDENT);
    await waitFor(() => s.getCase(d2.caseId).state !== "dropoff_pending", "open timer");
    expect(s.getCase(d2.caseId).state).toBe("cancelled");
  });

  it("a used QR token is refused and the kiosk gets a new one", async () => {
    const { s } = await setup();
    const rotated: string[] = [];
    h!.events.on("qrRotated", (q) => rotated.push(q.url));
    const link = s.currentDropoffLink();
    await s.startDropoff({ token: link.url, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
    expect(rotated.length).toBe(1);
    expect(s.currentDropoffLink().token).not.toBe(link.token);
    await expect(s.startDropoff({ token: encodeURIComponent(link.url), matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT)).rejects.toMatchObject({
      code: ErrorCode.Locker_TokenUsed,
    });
  });

  it("weak PINs are refused at drop-off", async () => {
    const { s } = await setup();
    for (const pin of ["111111", "123456", "654321", "345678", "12345", "abcdef"]) {
      await expect(s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin, consent: true }, RESIDENT)).rejects.toMatchObject({
        code: ErrorCode.Locker_WeakPin,
      });
    }
  });

  it("an unsynchronised clock refuses QR tokens with Locker_ClockUnsynced", async () => {
    const { s, clock } = await setup();
    const token = s.currentDropoffLink().token;
    clock.trusted = false;
    expect(s.checkDropoffToken(token)).toMatchObject({ ok: false, code: ErrorCode.Locker_ClockUnsynced });
  });

  it("a ready case becomes overdue after the hold period, repeated daily, and personal data is purged after closing", async () => {
    const { hw, s, clock } = await setup();
    const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, name: "Li", pin: PIN, consent: true }, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    await s.staffCollect(d.caseId, STAFF);
    hw.set(1, "open"), hw.set(1, "closed");
    await s.staffReturn(d.caseId, STAFF);
    hw.set(1, "open"), hw.set(1, "closed");
    clock.advance(7 * 86_400_000 + 1);
    s.sweep();
    s.sweep();
    expect(h!.published.filter((e) => e.type === "overdue").length).toBe(1);
    expect(s.getCase(d.caseId).overdue).toBe(true);
    clock.advance(86_400_000);
    s.sweep();
    expect(h!.published.filter((e) => e.type === "overdue").length).toBe(2);
    await s.pickup(PHONE, PIN, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    clock.advance(31 * 86_400_000);
    s.sweep();
    const v = s.getCase(d.caseId, { unmasked: true });
    expect(v.phone).toBe("***");
    expect(v.name).toBeUndefined();
    expect(s.audit({ caseId: d.caseId }).some((a) => a.action === "privacy-purge")).toBe(true);
  });
});
