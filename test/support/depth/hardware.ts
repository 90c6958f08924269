/**
 * Depth "hardware": the core over the real board layer (LockerHardware) and
 * the board simulator on a real pseudo-terminal (socat) or TCP socket.
 */
import { startSimulator, type RunningSimulator } from "../../../hardware/simulator/startSimulator.js";
import type { MockLockBoard } from "../../../hardware/simulator/MockLockBoard.js";
import { LockerHardware } from "../../../src/board/LockerHardware.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { ManualClock, systemClock } from "../../../src/util/clock.js";
import { buildCore, type CoreHarness } from "./core.js";

export interface HardwareOptions {
  transport?: "pty" | "tcp";
  /** The board family the simulator speaks and the bus is configured for (default 8A/80). */
  protocol?: "8a80" | "kerong";
  /** A ManualClock the test advances, instead of the system clock. */
  manualClock?: boolean;
  config?: (c: LockerConfig) => void;
}

export interface Stack extends CoreHarness {
  sim: RunningSimulator;
  board: MockLockBoard;
  hardware: LockerHardware;
  clock: ManualClock | typeof systemClock;
  stopAll(): Promise<void>;
}

/** Simulated unlock pulse (the board answers this long after the command), ms. */
export const PULSE_MS = 100;
/** An open this long after our pulse is no longer "commanded" (tamper), ms. */
export const COMMANDED_WINDOW_MS = 1000;

export async function startStack(opts: HardwareOptions = {}): Promise<Stack> {
  const protocol = opts.protocol ?? "8a80";
  const sim = await startSimulator({ transport: opts.transport ?? "pty", protocol, boards: [{ address: 1, channels: 8 }], pulseMs: PULSE_MS });
  const board = sim.control.board(1);
  // A quick resident: opens 150 ms after the release, closes 400 ms later.
  for (let ch = 1; ch <= 8; ch++) board.setBehaviour(ch, { openAfterMs: 150, closeAfterMs: 400 });
  const clock = opts.manualClock ? new ManualClock(Date.now()) : systemClock;
  let hardware!: LockerHardware;
  const core = buildCore({
    clock,
    hardware: (config, log) => (hardware = new LockerHardware({ bus: config.bus, compartments: config.compartments, log, commandedWindowMs: COMMANDED_WINDOW_MS })),
    config: (c) => {
      c.bus.transport = sim.transport;
      c.bus.protocol = protocol;
      c.bus.timeouts.pollIntervalMs = 50;
      c.bus.timeouts.unlockVerifyMs = 300;
      // generous for a loaded CPU; the fault tests that need them short set their own
      c.rules.doorOpenTimeoutMs = 8000;
      c.rules.doorLeftOpenMs = 8000;
      opts.config?.(c);
    },
  });
  await hardware.start();
  await core.service.start(15_000);
  return {
    ...core,
    sim,
    board,
    hardware,
    clock,
    async stopAll() {
      core.close();
      await hardware.stop();
      await sim.stop();
    },
  };
}

/** Every log line must be free of the PINs and full phone numbers the test used. */
export function findSecrets(lines: string[], secrets: string[]): string[] {
  return lines.filter((l) => secrets.some((s) => l.includes(s)));
}
