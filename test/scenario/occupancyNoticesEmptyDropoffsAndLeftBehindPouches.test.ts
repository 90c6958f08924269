/**
 * Issue 15, must-show 2: compartments that know whether a pouch is inside
 * (Kerong infrared bits), over a real pty and the Kerong simulator: an empty
 * drop-off, a pouch left behind after pickup or staff collect, and an item
 * appearing in a free compartment.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RESIDENT, STAFF, waitFor } from "../locker/support/coreHarness.js";
import { socatAvailable, startStack, type Stack } from "./support/stack.js";
import type { DoorPrompt } from "../../src/locker/events.js";

const PHONE = "13612345678";
const PIN = "481736";
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stopAll();
  stack = undefined;
});

async function kerongStack(): Promise<{ s: Stack; prompts: DoorPrompt[] }> {
  const s = await startStack({ protocol: "kerong", config: (c) => (c.rules.doorOpenTimeoutMs = 3000) });
  stack = s;
  const prompts: DoorPrompt[] = [];
  s.events.on("doorPrompt", (p) => prompts.push(p));
  return { s, prompts };
}
const dropoff = (s: Stack) => s.service.startDropoff({ token: s.service.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
const alarms = (s: Stack, kind: string) => s.published.filter((e) => e.type === "alarm" && e.kind === kind);
const unlocksOf = (s: Stack, ch: number) => s.sim.control.received.filter((f) => f.request.kind === "unlock" && f.request.channel === ch).length;
const phases = (prompts: DoorPrompt[], n: number) => prompts.filter((p) => p.compartment === n).map((p) => p.phase);

describe.skipIf(!socatAvailable())("occupancy over a real pty and the Kerong simulator", () => {
  it("an empty drop-off: the resident is asked to put the pouch in; if the door stays shut empty the case is cancelled and the compartment freed", async () => {
    const { s, prompts } = await kerongStack();
    // the resident opens and closes the door but walks away with the pouch, twice
    s.board.setBehaviour(1, { itemAction: "none" });
    const d = await dropoff(s);
    expect(d.compartment).toBe(1);
    await waitFor(() => phases(prompts, 1).includes("put-pouch-in"), "the kiosk asks to put the pouch in");
    expect(s.service.getCase(d.caseId).state).toBe("dropoff_pending");
    expect(s.published.filter((e) => e.type === "dropoff")).toEqual([]);
    await waitFor(() => s.service.getCase(d.caseId).state === "cancelled", "the drop-off is cancelled", 15_000);
    expect(unlocksOf(s, 1)).toBe(2); // the door was opened once more for the pouch, never more
    expect(s.service.compartments()[0]).toMatchObject({ status: "free", occupied: false });
    expect(s.published.map((e) => e.type)).toEqual(["cancelled"]);
    expect(s.published[0]!.compartment).toBe(1);
  });

  it("a resident who forgets the pouch at first and puts it in when asked completes the drop-off", async () => {
    const { s, prompts } = await kerongStack();
    s.board.setBehaviour(1, { itemAction: "none" });
    const d = await dropoff(s);
    await waitFor(() => phases(prompts, 1).includes("put-pouch-in"), "the kiosk asks to put the pouch in");
    s.board.setBehaviour(1, { itemAction: "swap" }); // this time the pouch goes in
    await waitFor(() => s.service.getCase(d.caseId).state === "dropped_off", "drop-off counted", 15_000);
    expect(s.service.compartments()[0]).toMatchObject({ status: "holding", occupied: true });
    expect(s.published.map((e) => e.type)).toEqual(["dropoff"]);
  });

  it("a pouch left behind after a pickup or a staff collect raises a left-behind alarm, the kiosk says so, and the compartment is not given out", async () => {
    const { s, prompts } = await kerongStack();
    const d = await dropoff(s);
    await waitFor(() => s.service.getCase(d.caseId).state === "dropped_off", "drop-off");
    // staff open the door but leave the pouch in
    s.board.setBehaviour(1, { itemAction: "none" });
    await s.service.staffCollect(d.caseId, STAFF);
    await waitFor(() => alarms(s, "item-left-behind").length === 1, "left-behind alarm after the collect");
    expect(alarms(s, "item-left-behind")[0]).toMatchObject({ compartment: 1, caseId: d.caseId });
    expect(phases(prompts, 1)).toContain("left-behind");
    await waitFor(() => s.service.getCase(d.caseId).state === "with_staff", "collect counted (the door did open and close)");
    // the pouch is still in compartment 1: a return goes elsewhere
    expect(s.service.compartments()[0]).toMatchObject({ status: "free", occupied: true });
    s.board.setItem(1, false); // staff come back for it
    const r = await s.service.staffReturn(d.caseId, STAFF);
    expect(r.compartment).toBe(2);
    await waitFor(() => s.service.getCase(d.caseId).state === "ready", "return");
    // the resident collects but leaves the papers behind
    s.board.setBehaviour(2, { itemAction: "none" });
    await s.service.pickup(PHONE, PIN, RESIDENT);
    await waitFor(() => alarms(s, "item-left-behind").length === 2, "left-behind alarm after the pickup");
    expect(alarms(s, "item-left-behind")[1]).toMatchObject({ compartment: 2, caseId: d.caseId });
    await waitFor(() => s.service.getCase(d.caseId).state === "collected", "pickup counted");
    expect(phases(prompts, 2)).toContain("left-behind");
  });

  it("an item appearing in a free compartment raises an alarm and shows in the snapshot", async () => {
    const { s } = await kerongStack();
    expect(s.service.compartments().every((c) => c.occupied === false)).toBe(true);
    s.board.setItem(5, true);
    await waitFor(() => alarms(s, "unexpected-item").length === 1, "unexpected-item alarm");
    expect(alarms(s, "unexpected-item")[0]!.compartment).toBe(5);
    expect(s.service.compartments()[4]).toMatchObject({ status: "free", occupied: true });
    // and nothing new is allocated into it
    const d = await dropoff(s);
    expect(d.compartment).toBe(1);
  });
});
