import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { SerialPortMock } from "serialport";
import { LockerHardware } from "../../src/board/LockerHardware.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { LockBusSimulator } from "../../hardware/simulator/LockBusSimulator.js";
import { simulatedPortClass } from "../../hardware/simulator/simulatedPortClass.js";
import { waitFor } from "../support/waitFor.js";
import { testBus } from "../support/harness.js";

describe("LockerHardware on node-serialport's mock binding with the simulator behind it", () => {
  let hw: LockerHardware | undefined;
  let sim: LockBusSimulator | undefined;
  afterEach(async () => {
    await hw?.stop();
    sim?.stop();
    SerialPortMock.binding.reset();
  });

  it("unlocks, sees the door cycle and reports the frames, with the port built as in production", async () => {
    sim = new LockBusSimulator({ boards: [{ address: 1 }], pulseMs: 10, queryDelayMs: 1 });
    sim.board(1).setBehaviour(4, { openAfterMs: 50, closeAfterMs: 150 });
    hw = new LockerHardware({
      bus: testBus("/dev/ttyMOCK0", { pollIntervalMs: 30 }),
      compartments: defaultConfig().compartments,
      log: pino({ level: "silent" }),
      binding: simulatedPortClass(sim),
    });
    const frames: string[] = [];
    const doors: string[] = [];
    hw.on("frame", (f) => frames.push(`${f.dir} ${f.bytes.toString("hex")}`));
    hw.on("door", (e) => e.compartment === 4 && doors.push(`${e.state}${e.commanded ? "*" : ""}`));
    await hw.start();
    await hw.firstPoll(5000);
    const r = await hw.unlock(4, "unit test");
    expect(r).toMatchObject({ compartment: 4, pulses: 1, acknowledged: true, door: "open" });
    await waitFor(() => doors.includes("closed*"), "door 4 closed again", 5000);
    expect(doors).toEqual(["closed", "open*", "closed*"]);
    expect(frames).toContain("tx 8a0104119e");
    expect(frames).toContain("rx 8a0104008f");
    expect(hw.loopAlive()).toBe(true);
  });
});
