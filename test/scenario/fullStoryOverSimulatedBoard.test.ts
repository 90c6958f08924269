import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { waitFor } from "../support/waitFor.js";
import { findSecrets, RESIDENT, type Stack, STAFF, startStack } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const PHONE = "13912345678";
const PIN = "730241";
let stack: Stack | undefined;
afterAll(async () => stack?.stopAll());

describe.skipIf(!requireTool("socat", "the scenario tests (real pseudo-terminals)"))("the full story over a real pty and the board simulator", () => {
  it("drop-off, staff collect, staff return and resident pickup, each counted when its door closes", async () => {
    stack = await startStack();
    const s = stack.service;
    const prompts: string[] = [];
    stack.events.on("doorPrompt", (p) => prompts.push(`${p.purpose}:${p.compartment}:${p.phase}`));

    const d = await s.startDropoff({ token: s.currentDropoffLink().url, matter: "residence-permit", phone: PHONE, name: "张三", pin: PIN, consent: true }, RESIDENT);
    expect(d.compartment).toBe(1);
    expect(d.caseNumber).toMatch(/^[A-Z]\d{2}$/);
    await waitFor(() => s.getCase(d.caseId).state === "dropped_off", "drop-off door cycle");
    expect(s.compartments()[0]).toMatchObject({ status: "holding", caseId: d.caseId });

    await s.staffCollect(d.caseNumber, STAFF);
    await waitFor(() => s.getCase(d.caseId).state === "with_staff", "staff collect door cycle");
    expect(s.compartments()[0]!.status).toBe("free");

    const r = await s.staffReturn(d.caseId, STAFF);
    await waitFor(() => s.getCase(d.caseId).state === "ready", "return door cycle");

    await expect(s.pickup(PHONE, "730242", RESIDENT)).rejects.toMatchObject({ code: ErrorCode.Locker_PickupRefused });
    const opened = await s.pickup(PHONE, PIN, RESIDENT);
    expect(opened).toEqual([{ caseId: d.caseId, caseNumber: d.caseNumber, compartment: r.compartment }]);
    await waitFor(() => s.getCase(d.caseId).state === "collected", "pickup door cycle");
    await waitFor(() => s.compartments().every((c) => c.status === "free" && c.door === "closed"), "all doors closed and free");

    expect(stack.published.map((e) => e.type)).toEqual(["dropoff", "ready", "collected"]);
    expect(stack.service.ledger.outbox.pending(100).map((e) => e.event.id)).toEqual(stack.published.map((e) => e.id));
    expect(prompts).toContain("dropoff:1:open");
    expect(prompts).toContain("dropoff:1:please-close");
    expect(prompts).toContain("dropoff:1:closed");
    const actions = s.audit({ caseId: d.caseId, limit: 1000 }).map((a) => a.action);
    for (const a of [
      "dropoff-start",
      "dropoff-unlock",
      "door-opened",
      "door-closed",
      "case-dropoffCompleted",
      "case-staffCollected",
      "case-returnCompleted",
      "case-pickupCompleted",
      "pickup-unlock",
    ]) {
      expect(actions).toContain(a);
    }
    expect(s.audit({ limit: 1000 }).some((a) => a.action === "pickup" && a.outcome === "refused")).toBe(true);
  });

  it("no log line of this story holds the PIN or the full phone number", () => {
    expect(stack!.logLines.length).toBeGreaterThan(20);
    expect(findSecrets(stack!.logLines, [PIN, PHONE, "730242"])).toEqual([]);
  });
});
