/** Driving the real daemon (lead's harness) through the door cycles the MQTT must-shows need. */
import { waitFor } from "../../support/waitFor.js";
import type { LockerHarness } from "../../support/harness.js";
import type { Actor } from "../../../src/locker/LockerApi.js";

export const RESIDENT: Actor = { kind: "resident", id: "kiosk-1", via: "kiosk", client: "kiosk-1" };
export const STAFF: Actor = { kind: "staff", id: "s1", name: "Wang", via: "staff-page" };

/** Channel of a compartment on board 1 (the test configs wire compartment n to channel n of board 1). */
function board(h: LockerHarness) {
  return h.sim.board(1);
}

/** A resident drop-off: unlock, the simulated person opens the door, we close it; resolves once the case is dropped_off. */
export async function dropOff(h: LockerHarness, phone = "13812345678"): Promise<{ caseId: string; caseNumber: string; compartment: number }> {
  const l = h.daemon.locker;
  const d = await l.startDropoff({ token: l.currentDropoffLink().url, matter: "residence-permit", phone, pin: "730241", consent: true }, RESIDENT);
  await waitFor(() => l.compartments().find((c) => c.number === d.compartment)?.door === "open", `door ${d.compartment} open`, 15_000);
  board(h).closeDoor(d.compartment);
  await waitFor(() => l.getCase(d.caseId).state === "dropped_off", `case ${d.caseNumber} dropped off`, 15_000);
  return d;
}

/** Staff take the pouch out so the compartment is free again. */
export async function staffCollect(h: LockerHarness, caseId: string): Promise<void> {
  const l = h.daemon.locker;
  const o = await l.staffCollect(caseId, STAFF);
  await waitFor(() => l.compartments().find((c) => c.number === o.compartment)?.door === "open", `door ${o.compartment} open`, 15_000);
  board(h).closeDoor(o.compartment);
  await waitFor(() => l.getCase(caseId).state === "with_staff", "case with staff", 15_000);
}

/** Unlock frames the simulator received so far. */
export function unlockFrames(h: LockerHarness): number {
  return h.sim.received.filter((f) => f.request.kind === "unlock").length;
}
