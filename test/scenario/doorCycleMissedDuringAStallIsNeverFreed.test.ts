/**
 * "Never loses a pouch": the daemon stalls (a slow SD-card write, a loaded
 * CPU) for longer than a door cycle takes, and during the stall the resident
 * opens the released door, puts the pouch in and shuts it. The polls on either
 * side both read "closed". Before, the open timer then said "door never
 * opened", cancelled the drop-off and freed the compartment with the pouch
 * inside. Doors unread for longer than a door cycle now make the cycles in
 * progress "unseen": the drop-off is held (door-unseen in the audit), as when
 * the board is offline. With the doors read all along, the rule stands.
 *
 * The simulator runs in this process, so the stall (a busy wait) freezes the
 * daemon's polls while the test moves the door by hand.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SHORTEST_DOOR_CYCLE_MS } from "../../src/board/LockerHardware.js";
import { waitFor } from "../support/waitFor.js";
import { PULSE_MS, RESIDENT, type Stack, startStack } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stopAll();
  stack = undefined;
});

const dropoff = (s: Stack) =>
  s.service.startDropoff({ token: s.service.currentDropoffLink().token, matter: "other", phone: "13712345670", pin: "592817", consent: true }, RESIDENT);

function stall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is blocked, as by a long synchronous write
  }
}

describe.skipIf(!requireTool("socat", "the scenario tests (real pseudo-terminals)"))("a door cycle the daemon could not watch", () => {
  it("opened and shut while the daemon stalled: the drop-off is held, never cancelled and freed", async () => {
    stack = await startStack({ config: (c) => (c.rules.doorOpenTimeoutMs = 2500) });
    // Nobody pulls the door while we watch: the latch springs back right after the pulse.
    for (let ch = 1; ch <= 8; ch++) stack.board.setBehaviour(ch, { behaviour: "walkAway", relatchAfterMs: PULSE_MS + 1 });
    const d = await dropoff(stack);
    stall(SHORTEST_DOOR_CYCLE_MS + 500);
    // During the stall the resident opened the door, put the pouch in and shut it.
    stack.board.openDoor(d.compartment);
    stack.board.setItem(d.compartment, true);
    stack.board.closeDoor(d.compartment);

    await waitFor(() => stack!.service.getCase(d.caseId).state !== "dropoff_pending", "the open timer", 10_000);
    expect(stack.service.getCase(d.caseId).state).toBe("dropped_off");
    expect(stack.service.compartments().find((c) => c.number === d.compartment)).toMatchObject({ status: "holding", caseId: d.caseId });
    expect(stack.published.filter((e) => e.type === "cancelled")).toEqual([]);
    const unseen = stack.service.audit({ caseId: d.caseId }).find((a) => a.action === "door-unseen");
    expect(unseen?.reason).toMatch(/doors unread for \d+\.\d s/);
    expect(stack.logLines.some((l) => l.includes("long enough to miss a door cycle"))).toBe(true);
  });

  it("watched all along and never opened: the drop-off is still cancelled and the compartment freed", async () => {
    stack = await startStack({ config: (c) => (c.rules.doorOpenTimeoutMs = 1500) });
    // Nobody pulls the door while we watch: the latch springs back right after the pulse.
    for (let ch = 1; ch <= 8; ch++) stack.board.setBehaviour(ch, { behaviour: "walkAway", relatchAfterMs: PULSE_MS + 1 });
    const d = await dropoff(stack);
    await waitFor(() => stack!.service.getCase(d.caseId).state !== "dropoff_pending", "the open timer", 10_000);
    expect(stack.service.getCase(d.caseId).state).toBe("cancelled");
    expect(stack.service.compartments().find((c) => c.number === d.compartment)!.status).toBe("free");
    expect(stack.service.audit({ caseId: d.caseId }).map((a) => a.action)).toContain("door-never-opened");
  });
});
