/**
 * Put the simulator behind node-serialport's mock binding: returns a
 * `SerialPortMock` subclass to pass as `binding`/`portClass`, so production code
 * builds its port exactly as with hardware while the simulator answers in
 * process (fast, deterministic unit tests; no socat needed).
 */
import { Duplex } from "node:stream";
import { SerialPortMock } from "serialport";
import type { LockBusSimulator } from "./LockBusSimulator.js";

type MockPort = { write(b: Buffer): Promise<void>; emitData(b: Buffer): void; isOpen: boolean };

export function simulatedPortClass(sim: LockBusSimulator): typeof SerialPortMock {
  return class SimulatedSerialPort extends SerialPortMock {
    constructor(...args: ConstructorParameters<typeof SerialPortMock>) {
      // each open is a fresh device under that path, as when a USB adapter is plugged in
      SerialPortMock.binding.createPort(args[0].path, { echo: false, record: false });
      super(...args);
      this.once("open", () => {
        const port = this.port as unknown as MockPort;
        const boardSide = new Duplex({
          read() {},
          write(chunk: Buffer, _enc, cb) {
            if (port.isOpen) port.emitData(chunk);
            cb();
          },
        });
        const write = port.write.bind(port);
        port.write = async (b: Buffer) => {
          await write(b);
          boardSide.push(Buffer.from(b));
        };
        this.once("close", () => boardSide.destroy());
        sim.attach(boardSide);
      });
    }
  };
}
