/**
 * The same BoardClient checks against the simulator (always) and against a
 * real board when LOCKER_TEST_PORT is set:
 *
 *   LOCKER_TEST_PORT=/dev/lockerboard LOCKER_TEST_ADDRESS=1 LOCKER_TEST_CHANNEL=1 \
 *   LOCKER_TEST_CHANNELS=8 LOCKER_TEST_FEEDBACK=closedWhenLocked npm run test:hardware
 *
 * On a real board this UNLOCKS channel LOCKER_TEST_CHANNEL once: stand by the door.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoardBus } from "../../src/board/BoardBus.js";
import { BoardClient } from "../../src/board/BoardClient.js";
import { createTransport } from "../../src/board/createTransport.js";
import { codecFor } from "../../src/protocol/index.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import type { BusConfig, FeedbackPolarity, StatusByteOrder } from "../../src/config/LockerConfig.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { findTool } from "../support/tools.js";

interface Target {
  name: string;
  setup(): Promise<{ transport: string; teardown(): Promise<void> }>;
  address: number;
  channel: number;
  channels: number;
  feedback: FeedbackPolarity;
  order: StatusByteOrder;
  /** An address with no board on this bus. */
  absent: number;
}

function contract(t: Target): void {
  describe(`board contract: ${t.name}`, () => {
    let bus: BoardBus;
    let client: BoardClient;
    let teardown: () => Promise<void>;
    beforeAll(async () => {
      const s = await t.setup();
      teardown = s.teardown;
      const base = defaultConfig().bus;
      const cfg: BusConfig = {
        ...base,
        transport: s.transport,
        boards: [
          { address: t.address, channels: t.channels, feedback: t.feedback, statusByteOrder: t.order },
          { address: t.absent, channels: 8, feedback: t.feedback, statusByteOrder: t.order },
        ],
      };
      const tr = createTransport(cfg);
      await tr.open();
      bus = new BoardBus(tr, codecFor(cfg.protocol), cfg.timeouts);
      client = new BoardClient(bus, codecFor(cfg.protocol), cfg.boards, cfg);
    });
    afterAll(async () => {
      await bus?.close();
      await teardown?.();
    });

    it("answers query-all with one reading per configured channel", async () => {
      const r = await client.queryAll(t.address);
      expect(r.channels).toHaveLength(t.channels);
      expect(r.replyHex.slice(0, 4)).toBe(`80${t.address.toString(16).padStart(2, "0")}`);
    });

    it("query-one agrees with query-all for the test channel", async () => {
      const all = await client.queryAll(t.address);
      const one = await client.query(t.address, t.channel);
      expect(one.shut).toBe(all.channels[t.channel - 1]!.shut);
    });

    it("answers 20 back-to-back queries, each with its own reply", async () => {
      for (let i = 0; i < 20; i++) {
        const r = await client.queryAll(t.address, 1);
        expect(r.board).toBe(t.address);
      }
    });

    it("an absent address times out with Board_NoReply naming it, and the bus keeps working", async () => {
      await expect(client.queryAll(t.absent, 1)).rejects.toMatchObject({ code: ErrorCode.Board_NoReply, message: expect.stringContaining(`board ${t.absent}`) });
      expect((await client.queryAll(t.address)).board).toBe(t.address);
    });

    it("unlock releases the test channel with one pulse and it then reads released", async () => {
      const r = await client.unlock(t.address, t.channel);
      expect(r.pulses).toBe(1);
      const after = await client.query(t.address, t.channel);
      expect(after.shut).toBe(false);
    });
  });
}

let sim: RunningSimulator | undefined;
// Over a real pseudo-terminal when socat is installed; TCP otherwise (the contract is the same).
const simTransport = findTool("socat") ? "pty" : "tcp";
if (simTransport === "tcp") {
  if (process.env.CI) throw new Error("socat is required on CI for the pty contract run (apt-get install socat)");
  console.warn("socat not installed: the simulator contract runs over TCP instead of a pty");
}
contract({
  name: `simulator over ${simTransport}`,
  setup: async () => {
    sim = await startSimulator({ transport: simTransport, boards: [{ address: 1 }], pulseMs: 50 });
    sim.control.board(1).setBehaviour(1, { behaviour: "walkAway" });
    return { transport: sim.transport, teardown: () => sim!.stop() };
  },
  address: 1,
  channel: 1,
  channels: 8,
  feedback: "closedWhenLocked",
  order: "lastByteFirstChannels",
  absent: 9,
});

const port = process.env.LOCKER_TEST_PORT;
if (port) {
  contract({
    name: `real board on ${port}`,
    setup: async () => ({ transport: port, teardown: async () => undefined }),
    address: Number(process.env.LOCKER_TEST_ADDRESS ?? 1),
    channel: Number(process.env.LOCKER_TEST_CHANNEL ?? 1),
    channels: Number(process.env.LOCKER_TEST_CHANNELS ?? 8),
    feedback: (process.env.LOCKER_TEST_FEEDBACK ?? "closedWhenLocked") as FeedbackPolarity,
    order: (process.env.LOCKER_TEST_BYTE_ORDER ?? "lastByteFirstChannels") as StatusByteOrder,
    absent: Number(process.env.LOCKER_TEST_ABSENT_ADDRESS ?? 31),
  });
} else {
  describe("board contract: real board", () => {
    it.todo(
      "pending: set LOCKER_TEST_PORT=/dev/lockerboard (and LOCKER_TEST_ADDRESS, LOCKER_TEST_CHANNEL, LOCKER_TEST_CHANNELS, LOCKER_TEST_FEEDBACK) to run this contract on a real board",
    );
  });
}
