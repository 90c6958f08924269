import { afterEach, describe, expect, it } from "vitest";
import { BoardBus } from "../../src/board/BoardBus.js";
import { BoardClient } from "../../src/board/BoardClient.js";
import { createTransport } from "../../src/board/createTransport.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";
import type { FeedbackPolarity, StatusByteOrder } from "../../src/config/LockerConfig.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { testBus } from "../support/harness.js";

describe("door readings follow each board's polarity and status-byte order (over TCP)", () => {
  let sim: RunningSimulator | undefined;
  let bus: BoardBus | undefined;
  afterEach(async () => {
    await bus?.close();
    await sim?.stop();
  });

  const cases: [FeedbackPolarity, StatusByteOrder][] = [
    ["closedWhenLocked", "lastByteFirstChannels"],
    ["closedWhenUnlocked", "lastByteFirstChannels"],
    ["closedWhenLocked", "firstByteFirstChannels"],
    ["closedWhenUnlocked", "firstByteFirstChannels"],
  ];
  for (const [feedback, statusByteOrder] of cases) {
    it(`${feedback} / ${statusByteOrder}: door 10 of 24 opened by hand reads open, unlock of 2 is acknowledged`, async () => {
      const board = { address: 4, channels: 24, feedback, statusByteOrder };
      sim = await startSimulator({ transport: "tcp", boards: [board], pulseMs: 20 });
      sim.control.board(4).openDoor(10);
      const cfg = { ...testBus(sim.transport), boards: [board] };
      const t = createTransport(cfg);
      await t.open();
      bus = new BoardBus(t, Codec8A80, cfg.timeouts);
      const client = new BoardClient(bus, Codec8A80, cfg.boards, cfg);
      const r = await client.queryAll(4);
      expect(r.channels.filter((c) => !c.shut).map((c) => c.channel)).toEqual([10]);
      expect(await client.unlock(4, 2)).toEqual({ pulses: 1, acknowledged: true });
      // a mismatched setting is visible: the same reply read with the other polarity says every door is open
      const wrong = new BoardClient(bus, Codec8A80, [{ ...board, feedback: feedback === "closedWhenLocked" ? "closedWhenUnlocked" : "closedWhenLocked" }], cfg);
      expect((await wrong.queryAll(4)).channels.filter((c) => !c.shut).length).toBe(22);
    });
  }

  it("closedWhenUnlocked behind an echoing adapter: the ack has the command's bytes and is taken as the second copy, without waiting", async () => {
    const board = { address: 1, channels: 8, feedback: "closedWhenUnlocked" as const, statusByteOrder: "lastByteFirstChannels" as const };
    sim = await startSimulator({ transport: "tcp", boards: [board], pulseMs: 20 });
    sim.control.inject({ kind: "echo", count: 10 });
    const cfg = { ...testBus(sim.transport, { unlockReplyMs: 3000 }), boards: [board] };
    const t = createTransport(cfg);
    await t.open();
    bus = new BoardBus(t, Codec8A80, cfg.timeouts);
    const client = new BoardClient(bus, Codec8A80, cfg.boards, cfg);
    await client.queryAll(1); // the bus learns that this adapter echoes
    const t0 = performance.now();
    expect(await client.unlock(1, 5)).toEqual({ pulses: 1, acknowledged: true });
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(sim.control.received.filter((f) => f.request.kind === "unlock")).toHaveLength(1);
  });
});
