import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { LockerHardware } from "../../src/board/LockerHardware.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { testBus } from "../support/harness.js";
import { requireTool } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

const socat = requireTool("socat", "the pseudo-terminal tests");

describe.skipIf(!socat)("LockerHardware over a real pty", () => {
  let sim: RunningSimulator | undefined;
  let hw: LockerHardware | undefined;
  afterEach(async () => {
    await hw?.stop();
    await sim?.stop();
    hw = sim = undefined;
  });

  it("goes offline within 2 s of socat being killed and comes back online without a restart", async () => {
    sim = await startSimulator({ transport: "pty", boards: [{ address: 1 }], pulseMs: 50 });
    const bus = { ...testBus(sim.transport), reconnect: { minDelayMs: 100, maxDelayMs: 400 } };
    hw = new LockerHardware({ bus, compartments: defaultConfig().compartments, log: pino({ level: "silent" }) });
    const events: { type: string; at: number }[] = [];
    hw.on("offline", () => events.push({ type: "offline", at: performance.now() }));
    hw.on("online", () => events.push({ type: "online", at: performance.now() }));
    await hw.start();
    await hw.firstPoll(10_000);
    expect(hw.online).toBe(true);

    const killedAt = performance.now();
    await sim.disconnect();
    await waitFor(() => events.some((e) => e.type === "offline"), "offline event", 5000);
    const offlineAfter = events.find((e) => e.type === "offline")!.at - killedAt;
    console.log(`offline reported ${offlineAfter.toFixed(0)} ms after socat was killed`);
    expect(offlineAfter).toBeLessThan(2000);
    expect(hw.online).toBe(false);
    await expect(hw.unlock(1, "test")).rejects.toMatchObject({ code: 201 });

    await sim.reconnect();
    await waitFor(() => events.some((e) => e.type === "online"), "online event", 10_000);
    expect(hw.online).toBe(true);
    const r = await hw.unlock(3, "after reconnect");
    expect(r.pulses).toBe(1);
  });

  it("reports door changes with commanded for our unlock and without it for an open by hand (tamper)", async () => {
    sim = await startSimulator({ transport: "pty", boards: [{ address: 1 }], pulseMs: 50 });
    sim.control.board(1).setBehaviour(3, { openAfterMs: 100, closeAfterMs: 300 });
    hw = new LockerHardware({ bus: testBus(sim.transport, { pollIntervalMs: 50 }), compartments: defaultConfig().compartments, log: pino({ level: "silent" }) });
    const doors: { compartment: number; state: string; commanded: boolean; atWallMs: number; atMonotonicMs: number }[] = [];
    hw.on("door", (e) => doors.push(e));
    await hw.start();
    await hw.firstPoll(10_000);
    expect(hw.doorState(3)).toBe("closed");

    await hw.unlock(3, "test");
    await waitFor(() => doors.some((d) => d.compartment === 3 && d.state === "closed" && d.commanded), "door 3 closed again", 10_000);
    expect(doors.filter((d) => d.compartment === 3).map((d) => [d.state, d.commanded])).toEqual([
      ["closed", false],
      ["open", true],
      ["closed", true],
    ]);

    sim.control.board(1).openDoor(5);
    await waitFor(() => doors.some((d) => d.compartment === 5 && d.state === "open"), "door 5 open", 10_000);
    const tamper = doors.find((d) => d.compartment === 5 && d.state === "open")!;
    expect(tamper.commanded).toBe(false);
    expect(tamper.atWallMs).toBeGreaterThan(Date.UTC(2026, 0, 1));
    expect(hw.doorState(5)).toBe("open");
  });
});
