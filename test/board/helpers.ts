import { execFileSync } from "node:child_process";
import { BoardBus } from "../../src/board/BoardBus.js";
import { BoardClient } from "../../src/board/BoardClient.js";
import { createTransport } from "../../src/board/createTransport.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";
import { defaultConfig } from "../../src/config/defaults.js";
import type { BusConfig } from "../../src/config/LockerConfig.js";
import { startSimulator, type StartSimulatorOptions, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";

/** True when socat is installed; on CI its absence is a failure, elsewhere a printed skip. */
export function haveSocat(): boolean {
  try {
    execFileSync("socat", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    if (process.env.CI) throw new Error("socat is required for the pseudo-terminal tests (apt-get install socat)");
    console.warn("SKIP: socat not installed; pseudo-terminal tests need it (apt-get install socat)");
    return false;
  }
}

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

/** Simulator on a real transport + an open bus and client talking to it. */
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

/** Poll `cond` until true or fail after `timeoutMs` (robust on a loaded CPU). */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
