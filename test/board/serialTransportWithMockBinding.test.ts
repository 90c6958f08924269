import { afterEach, describe, expect, it } from "vitest";
import { SerialPortMock } from "serialport";
import { SerialTransport } from "../../src/board/SerialTransport.js";
import { ErrorCode } from "../../src/errors/LockerError.js";

describe("SerialTransport with an injected port class (SerialPortMock)", () => {
  afterEach(() => SerialPortMock.binding.reset());

  it("opens, writes, receives and closes the way production builds it", async () => {
    SerialPortMock.binding.createPort("/dev/mockboard", { record: true });
    const t = new SerialTransport({ path: "/dev/mockboard", baudRate: 9600, portClass: SerialPortMock });
    await t.open();
    const got: Buffer[] = [];
    t.on("data", (b) => got.push(b));
    await t.write(Buffer.from("80010033b2", "hex"));
    const port = (t as unknown as { port: SerialPortMock }).port;
    await new Promise((r) => port.drain(r));
    expect(port.port!.recording.toString("hex")).toBe("80010033b2");
    port.port!.emitData(Buffer.from("80010000ff334d", "hex"));
    await new Promise((r) => setTimeout(r, 20));
    expect(Buffer.concat(got).toString("hex")).toBe("80010000ff334d");
    const closed = new Promise<Error | undefined>((r) => t.once("close", r));
    await t.close();
    expect(await closed).toBeUndefined();
  });

  it("is single-use and names the device it could not open", async () => {
    const t = new SerialTransport({ path: "/dev/not-there", baudRate: 9600, portClass: SerialPortMock });
    await expect(t.open()).rejects.toMatchObject({ code: ErrorCode.Board_TransportFailed, message: expect.stringMatching(/cannot open serial device \/dev\/not-there/) });
    await expect(t.open()).rejects.toMatchObject({ message: expect.stringMatching(/single-use/) });
  });
});
