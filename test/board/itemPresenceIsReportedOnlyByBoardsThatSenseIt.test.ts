import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { SerialPortMock } from "serialport";
import { LockerHardware } from "../../src/board/LockerHardware.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { LockBusSimulator } from "../../hardware/simulator/LockBusSimulator.js";
import { simulatedPortClass } from "../../hardware/simulator/simulatedPortClass.js";
import { testBus, until } from "./helpers.js";

describe("item presence from the board layer", () => {
  let hw: LockerHardware | undefined;
  let sim: LockBusSimulator | undefined;
  afterEach(async () => {
    await hw?.stop();
    sim?.stop();
    SerialPortMock.binding.reset();
  });

  async function start(protocol: "8a80" | "kerong"): Promise<{ hw: LockerHardware; sim: LockBusSimulator; log: string[] }> {
    sim = new LockBusSimulator({ protocol, boards: [{ address: 1 }], pulseMs: 10, queryDelayMs: 1 });
    hw = new LockerHardware({
      bus: { ...testBus("/dev/ttyMOCK0", { pollIntervalMs: 30 }), protocol },
      compartments: defaultConfig().compartments,
      log: pino({ level: "silent" }),
      binding: simulatedPortClass(sim),
    });
    const log: string[] = [];
    hw.on("item", (e) => log.push(`item ${e.compartment} ${e.present}${e.previous === undefined ? " (first)" : ""}`));
    hw.on("door", (e) => e.previous !== "unknown" && log.push(`door ${e.compartment} ${e.state}`));
    await hw.start();
    await hw.firstPoll(5000);
    return { hw, sim, log };
  }

  it("a Kerong board: every compartment's occupancy from the first poll, then an event when the pouch goes in, before the door closes", async () => {
    const { hw, sim, log } = await start("kerong");
    expect([1, 2, 3, 4, 5, 6].map((n) => hw.occupancy(n))).toEqual([false, false, false, false, false, false]);
    expect(log.filter((l) => l.endsWith("(first)"))).toHaveLength(6);
    log.length = 0;
    sim.board(1).setBehaviour(4, { openAfterMs: 40, closeAfterMs: 100 });
    await hw.unlock(4, "unit test");
    await until(() => log.includes("door 4 closed"), 5000, "door 4 cycle");
    expect(hw.occupancy(4)).toBe(true); // the simulated resident put the pouch in
    expect(log.indexOf("item 4 true")).toBeGreaterThanOrEqual(0);
    expect(log.indexOf("item 4 true")).toBeLessThan(log.indexOf("door 4 closed"));
  });

  it("an 8A/80 board has no item sensor: occupancy stays unknown and no item event is emitted", async () => {
    const { hw, sim, log } = await start("8a80");
    sim.board(1).setItem(2, true);
    await new Promise((r) => setTimeout(r, 150));
    expect(hw.occupancy(2)).toBeUndefined();
    expect(log.filter((l) => l.startsWith("item"))).toEqual([]);
  });
});
