import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/util/clock.js";
import { reconcileDecision } from "../../src/locker/reconcile.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT, STAFF } from "../support/harness.js";

const open: CoreHarness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.close()));
const PHONE = "13312345678";
const PIN = "730241";

/** Run `before` on a first service, "crash" it (no clean finish), then start a second one on the same file with the doors as given. */
async function crashAndRestart(before: (h: CoreHarness, hw: FakeDoorHardware) => Promise<string>, doorsAfter: Record<number, "open" | "closed">) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-restart-"));
  const clock = new ManualClock(Date.now());
  const hw1 = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
  const h1 = buildCore({ hardware: hw1, clock, dir });
  await h1.service.start();
  const caseId = await before(h1, hw1);
  h1.close();
  const hw2 = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
  for (const [n, s] of Object.entries(doorsAfter)) hw2.doors.set(Number(n), s);
  const h2 = buildCore({ hardware: hw2, clock, dir });
  open.push(h2);
  await h2.service.start();
  return { h: h2, hw: hw2, caseId };
}

const dropoff = (h: CoreHarness) => h.service.startDropoff({ token: h.service.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);

describe("start-up reconciliation (RECONCILIATION.md)", () => {
  it.each([
    ["dropoff", "reserved", "closed", "complete"],
    ["dropoff", "unlocked", "closed", "complete"],
    ["dropoff", "opened", "closed", "complete"],
    ["staff-collect", "unlocked", "closed", "abort"],
    ["staff-collect", "opened", "closed", "complete"],
    ["staff-return", "unlocked", "closed", "complete"],
    ["pickup", "unlocked", "closed", "abort"],
    ["pickup", "opened", "closed", "complete"],
    ["pickup", "unlocked", "open", "resume"],
    ["dropoff", "reserved", "unknown", "complete"],
    ["pickup", "unlocked", "unknown", "abort"],
    ["pickup", "opened", "unknown", "resume"],
  ] as const)("%s interrupted at %s with the door %s → %s", (op, phase, door, kind) => {
    expect(reconcileDecision(op, phase, door).kind).toBe(kind);
  });

  it.each([
    ["dropoff", "opened", "closed", false, "abort"],
    ["dropoff", "unlocked", "closed", false, "abort"],
    ["dropoff", "opened", "closed", true, "complete"],
    ["staff-return", "opened", "closed", false, "abort"],
    ["dropoff", "opened", "open", false, "resume"],
    ["dropoff", "opened", "unknown", false, "resume"],
    ["pickup", "opened", "closed", true, "complete"],
  ] as const)("with an item sensor: %s at %s, door %s, occupied %s → %s", (op, phase, door, occupied, kind) => {
    expect(reconcileDecision(op, phase, door, occupied).kind).toBe(kind);
  });

  it("a drop-off unlocked before the crash, door shut now, counts as dropped off and keeps its compartment", async () => {
    const { h, caseId } = await crashAndRestart(async (h1) => (await dropoff(h1)).caseId, {});
    expect(h.service.getCase(caseId).state).toBe("dropped_off");
    expect(h.service.compartments()[0]).toMatchObject({ status: "holding", caseId });
    expect(h.published.map((e) => [e.type, e.detail?.reconciled])).toEqual([["dropoff", true]]);
    expect(h.service.audit({ caseId }).some((a) => a.action === "reconcile-complete")).toBe(true);
  });

  it("a drop-off whose door is open at restart is followed again and counts when the door closes", async () => {
    const { h, hw, caseId } = await crashAndRestart(
      async (h1, hw1) => {
        const d = await dropoff(h1);
        hw1.set(1, "open");
        return d.caseId;
      },
      { 1: "open" },
    );
    expect(h.service.getCase(caseId).state).toBe("dropoff_pending");
    hw.set(1, "closed");
    expect(h.service.getCase(caseId).state).toBe("dropped_off");
  });

  it("a pickup unlocked before the crash, door shut now, goes back to ready (the resident can try again)", async () => {
    const { h, caseId } = await crashAndRestart(async (h1, hw1) => {
      const d = await dropoff(h1);
      hw1.set(1, "open"), hw1.set(1, "closed");
      await h1.service.staffCollect(d.caseId, STAFF);
      hw1.set(1, "open"), hw1.set(1, "closed");
      await h1.service.staffReturn(d.caseId, STAFF);
      hw1.set(1, "open"), hw1.set(1, "closed");
      await h1.service.pickup(PHONE, PIN, RESIDENT);
      return d.caseId;
    }, {});
    expect(h.service.getCase(caseId).state).toBe("ready");
    expect(h.service.compartments()[0]).toMatchObject({ status: "holding", caseId });
  });

  it("a compartment reserved for a case that is gone is freed", async () => {
    const { h } = await crashAndRestart(async (h1) => {
      h1.db.prepare("UPDATE compartment SET status = 'reserved', case_id = NULL WHERE number = 4").run();
      return "";
    }, {});
    expect(h.service.compartments()[3]!.status).toBe("free");
    expect(h.service.audit({}).some((a) => a.action === "reconcile-free" && a.compartment === 4)).toBe(true);
  });
});
