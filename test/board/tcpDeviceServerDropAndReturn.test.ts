import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { LockerHardware } from "../../src/board/LockerHardware.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { waitFor } from "../support/waitFor.js";
import { testBus } from "../support/harness.js";

describe("an RS-485 device server (tcp://) that drops the connection", () => {
  let sim: RunningSimulator | undefined;
  let hw: LockerHardware | undefined;
  afterEach(async () => {
    await hw?.stop();
    await sim?.stop();
  });

  it("reports offline at once, retries with backoff while it is away, and is online again when it returns", async () => {
    sim = await startSimulator({ transport: "tcp", boards: [{ address: 1 }], pulseMs: 20 });
    const bus = { ...testBus(sim.transport), reconnect: { minDelayMs: 50, maxDelayMs: 200 } };
    hw = new LockerHardware({ bus, compartments: defaultConfig().compartments, log: pino({ level: "silent" }) });
    const seen: string[] = [];
    hw.on("offline", (e) => seen.push(`offline:${e.reason}`));
    hw.on("online", () => seen.push("online"));
    await hw.start();
    await hw.firstPoll(10_000);

    await sim.disconnect();
    await waitFor(() => seen.some((s) => s.startsWith("offline")), "offline", 5000);
    expect(seen[0]).toMatch(/transport lost/);
    await new Promise((r) => setTimeout(r, 600)); // several reopen attempts fail meanwhile
    expect(hw.online).toBe(false);
    await sim.reconnect();
    await waitFor(() => seen.includes("online"), "online", 10_000);
    expect(seen.filter((s) => s.startsWith("offline"))).toHaveLength(1);
    expect((await hw.unlock(2, "after return")).pulses).toBe(1);
  });

  it("a board that stops answering (line up, board silent) goes offline after offlineAfterFailedPolls polls", async () => {
    sim = await startSimulator({ transport: "tcp", boards: [{ address: 1 }], pulseMs: 20 });
    hw = new LockerHardware({ bus: testBus(sim.transport, { pollIntervalMs: 50, queryReplyMs: 100 }), compartments: defaultConfig().compartments, log: pino({ level: "silent" }) });
    let offline = false;
    let online = false;
    hw.on("offline", () => (offline = true));
    hw.on("online", () => (online = true));
    await hw.start();
    await hw.firstPoll(10_000);
    sim.control.inject({ kind: "ignore", count: 3 });
    await waitFor(() => offline, "offline", 10_000);
    expect(sim.control.received.length).toBeGreaterThanOrEqual(4);
    await waitFor(() => online, "online again", 10_000);
    expect(hw.online).toBe(true);
  });
});
