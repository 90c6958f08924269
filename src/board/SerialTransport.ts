/**
 * Serial device transport (node-serialport). The port class is injectable
 * (`portClass`, default the auto-detected `SerialPort`) so tests can pass
 * `SerialPortMock` and production builds it the same way.
 */
import { EventEmitter } from "node:events";
import type { SerialPort, SerialPortMock } from "serialport";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Transport, TransportEvents } from "./Transport.js";

export type SerialPortClass = typeof SerialPort | typeof SerialPortMock;

export interface SerialTransportOptions {
  path: string;
  /** Line speed, baud (9600 for protocol 8A/80). */
  baudRate: number;
  portClass?: SerialPortClass;
}

export class SerialTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  private port: SerialPort | SerialPortMock | undefined;
  private used = false;
  private closing = false;

  constructor(private readonly opts: SerialTransportOptions) {
    super();
    this.description = `${opts.path} @ ${opts.baudRate} baud`;
  }

  async open(): Promise<void> {
    if (this.used) throw new LockerError("a transport is single-use; build a new one to reconnect", ErrorCode.Board_TransportFailed);
    this.used = true;
    // Loaded on first use: a locker on a TCP device server never pays for the native binding (~13 MB RSS).
    const Port = this.opts.portClass ?? (await import("serialport")).SerialPort;
    const port = new Port({ path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false });
    this.port = port;
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(
            new LockerError(
              `cannot open serial device ${this.opts.path}: ${err.message}. Check the cable, the device name (ls /dev/serial/by-id/) and that no other program holds it.`,
              ErrorCode.Board_TransportFailed,
              { path: this.opts.path },
            ),
          );
          return;
        }
        port.on("data", (chunk: Buffer) => this.emit("data", chunk));
        port.on("close", (e?: Error) => this.emit("close", this.closing ? undefined : (e ?? new Error("serial port closed"))));
        port.on("error", (e: Error) => {
          if (!this.closing) port.close(() => this.emit("close", e));
        });
        resolve();
      });
    });
  }

  write(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new LockerError(`serial device ${this.opts.path} is not open`, ErrorCode.Board_TransportClosed));
    return new Promise((resolve, reject) => {
      port.write(bytes, (err) => (err ? reject(new LockerError(`write to ${this.opts.path} failed: ${err.message}`, ErrorCode.Board_TransportFailed)) : resolve()));
    });
  }

  flush(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    // A pty does not implement tcflush everywhere; a failed flush only means stale bytes reach the decoder, which discards them.
    return new Promise((resolve) => port.flush(() => resolve()));
  }

  close(): Promise<void> {
    this.closing = true;
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
