/** Depth "bus": the board simulator on a real transport, and an open BoardBus + BoardClient talking to it (no locker rules). */
import { BoardBus } from "../../../src/board/BoardBus.js";
import { BoardClient } from "../../../src/board/BoardClient.js";
import { createTransport } from "../../../src/board/createTransport.js";
import { Codec8A80 } from "../../../src/protocol/Codec8A80.js";
import { defaultConfig } from "../../../src/config/defaults.js";
import type { BusConfig } from "../../../src/config/LockerConfig.js";
import { startSimulator, type StartSimulatorOptions, type RunningSimulator } from "../../../hardware/simulator/startSimulator.js";

/** A bus config for tests: the default 8A/80 board at address 1, shorter timeouts. */
export function testBus(transport: string, over: Partial<BusConfig["timeouts"]> = {}): BusConfig {
  const bus = defaultConfig().bus;
  return {
    ...bus,
    transport,
    timeouts: { ...bus.timeouts, unlockReplyMs: 1500, queryReplyMs: 300, unlockVerifyMs: 300, settleMs: 30, ...over },
  };
}

export interface ClientRig {
  sim: RunningSimulator;
  bus: BoardBus;
  client: BoardClient;
  close(): Promise<void>;
}

export async function clientRig(transport: "pty" | "tcp", simOpts: Partial<StartSimulatorOptions> = {}, over: Partial<BusConfig["timeouts"]> = {}): Promise<ClientRig> {
  const sim = await startSimulator({ transport, boards: [{ address: 1 }], pulseMs: 50, ...simOpts });
  const cfg = testBus(sim.transport, over);
  const t = createTransport(cfg);
  await t.open();
  const bus = new BoardBus(t, Codec8A80, cfg.timeouts);
  const client = new BoardClient(bus, Codec8A80, cfg.boards, cfg);
  return {
    sim,
    bus,
    client,
    async close() {
      await bus.close();
      await sim.stop();
    },
  };
}
