import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { waitFor } from "../support/waitFor.js";
import { COMMANDED_WINDOW_MS, findSecrets, PULSE_MS, RESIDENT, type Stack, STAFF, startStack } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const PHONE = "13712345670";
const PIN = "592817";
let stack: Stack | undefined;
const allLines: string[] = [];
afterEach(async () => {
  if (stack) allLines.push(...stack.logLines);
  await stack?.stopAll();
  stack = undefined;
});

function dropoff(s: Stack) {
  return s.service.startDropoff({ token: s.service.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
}
const alarms = (s: Stack, kind: string) => s.published.filter((e) => e.type === "alarm" && e.kind === kind);

describe.skipIf(!requireTool("socat", "the scenario tests (real pseudo-terminals)"))("door faults over a real pty and the board simulator", () => {
  it("a jammed lock is marked faulty, alarmed, and the drop-off moves to the next compartment", async () => {
    stack = await startStack();
    stack.board.setBehaviour(1, { behaviour: "jammed" });
    const d = await dropoff(stack);
    expect(d.compartment).toBe(2);
    const c1 = stack.service.compartments()[0]!;
    expect(c1.status).toBe("faulty");
    expect(c1.faultReason).toMatch(/lock did not open/);
    expect(alarms(stack, "lock-fault").map((e) => e.compartment)).toEqual([1]);
    await waitFor(() => stack!.service.getCase(d.caseId).state === "dropped_off", "drop-off into compartment 2");
    // the faulty compartment is out of allocation until a technician enables it
    const d2 = await dropoff(stack);
    expect(d2.compartment).toBe(3);
  });

  it("every lock jammed: the resident is told plainly and staff are alerted", async () => {
    // three compartments keep it short: each jammed lock costs two pulses and two verifications
    stack = await startStack({ config: (c) => (c.compartments = c.compartments.slice(0, 3)) });
    for (let ch = 1; ch <= 3; ch++) stack.board.setBehaviour(ch, { behaviour: "jammed" });
    await expect(dropoff(stack)).rejects.toMatchObject({ code: ErrorCode.Locker_NoFreeCompartment, message: expect.stringMatching(/come back later or ask the staff/) });
    expect(alarms(stack, "lock-fault").length).toBe(3);
    expect(stack.service.compartments().map((c) => c.status)).toEqual(["faulty", "faulty", "faulty"]);
    expect(alarms(stack, "no-free-compartment").length).toBe(1);
    const c = stack.service.listCases({})[0]!;
    expect(c.state).toBe("cancelled");
  });

  it("a door released but never opened cancels the drop-off and frees the compartment", async () => {
    stack = await startStack({ config: (c) => (c.rules.doorOpenTimeoutMs = 1500) });
    // the latch springs back right after the pulse: nobody pulled the door
    stack.board.setBehaviour(1, { behaviour: "walkAway", relatchAfterMs: PULSE_MS + 1 });
    const d = await dropoff(stack);
    expect(d.compartment).toBe(1);
    await waitFor(() => stack!.service.getCase(d.caseId).state === "cancelled", "cancel after doorOpenTimeoutMs");
    expect(stack.service.compartments()[0]!.status).toBe("free");
    expect(stack.published.map((e) => e.type)).toEqual(["cancelled"]);
    expect(stack.service.audit({ caseId: d.caseId }).some((a) => a.action === "door-never-opened" && a.outcome === "failed")).toBe(true);
  });

  it("a door left open raises door-left-open, repeated while it stays open, and stops once closed", async () => {
    stack = await startStack({ config: (c) => (c.rules.doorLeftOpenMs = 1500) });
    stack.board.setBehaviour(1, { closeAfterMs: 0 });
    const d = await dropoff(stack);
    await waitFor(() => alarms(stack!, "door-left-open").length >= 2, "two door-left-open alarms", 20_000);
    expect(alarms(stack, "door-left-open")[0]).toMatchObject({ compartment: 1, caseId: d.caseId });
    expect(stack.service.getCase(d.caseId).state).toBe("dropoff_pending");
    stack.board.closeDoor(1);
    await waitFor(() => stack!.service.getCase(d.caseId).state === "dropped_off", "drop-off counted on close");
    const n = alarms(stack, "door-left-open").length;
    await new Promise((r) => setTimeout(r, 2 * 1500 + 500));
    expect(alarms(stack, "door-left-open").length).toBe(n);
  });

  it("a door opened without a command raises a tamper alarm", async () => {
    stack = await startStack();
    const d = await dropoff(stack);
    await waitFor(() => stack!.service.getCase(d.caseId).state === "dropped_off", "drop-off");
    await new Promise((r) => setTimeout(r, COMMANDED_WINDOW_MS + 200));
    stack.board.openDoor(1);
    await waitFor(() => alarms(stack!, "tamper").length === 1, "tamper alarm");
    expect(alarms(stack, "tamper")[0]).toMatchObject({ compartment: 1, caseId: d.caseId });
    stack.board.closeDoor(1);
    // a commanded open is not tamper
    await stack.service.staffCollect(d.caseId, STAFF);
    await waitFor(() => stack!.service.getCase(d.caseId).state === "with_staff", "staff collect");
    expect(alarms(stack, "tamper").length).toBe(1);
  });

  it("no log line of these stories holds the PIN or the full phone number", () => {
    expect(allLines.length).toBeGreaterThan(20);
    expect(findSecrets(allLines, [PIN, PHONE])).toEqual([]);
  });
});
