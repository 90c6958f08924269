/** `tcp://host:port` transport for RS-485 device servers (raw TCP, Nagle off so 5-byte frames go out at once). */
import { EventEmitter } from "node:events";
import net from "node:net";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Transport, TransportEvents } from "./Transport.js";

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Give up connecting after this long, ms. default 3000. */
  connectTimeoutMs?: number;
}

/** Parse "tcp://host:port"; undefined when `spec` is not a tcp URL. */
export function parseTcpUrl(spec: string): { host: string; port: number } | undefined {
  const m = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d{1,5})\/?$/.exec(spec);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

export class TcpTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  private socket: net.Socket | undefined;
  private used = false;
  private closing = false;

  constructor(private readonly opts: TcpTransportOptions) {
    super();
    this.description = `tcp://${opts.host}:${opts.port}`;
  }

  open(): Promise<void> {
    if (this.used) return Promise.reject(new LockerError("a transport is single-use; build a new one to reconnect", ErrorCode.Board_TransportFailed));
    this.used = true;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.opts.host, port: this.opts.port });
      this.socket = socket;
      socket.setNoDelay(true);
      const timer = setTimeout(() => socket.destroy(new Error("connect timed out")), this.opts.connectTimeoutMs ?? 3000);
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(new LockerError(`cannot connect to ${this.description}: ${err.message}. Check the device server's address, port and power.`, ErrorCode.Board_TransportFailed));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        let lost: Error | undefined;
        socket.on("error", (err) => (lost = err));
        socket.on("data", (chunk) => this.emit("data", chunk));
        socket.on("close", () => this.emit("close", this.closing ? undefined : (lost ?? new Error(`${this.description} closed the connection`))));
        resolve();
      });
    });
  }

  write(bytes: Buffer): Promise<void> {
    const s = this.socket;
    if (!s || s.destroyed) return Promise.reject(new LockerError(`${this.description} is not connected`, ErrorCode.Board_TransportClosed));
    return new Promise((resolve, reject) =>
      s.write(bytes, (err) => (err ? reject(new LockerError(`write to ${this.description} failed: ${err.message}`, ErrorCode.Board_TransportFailed)) : resolve())),
    );
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closing = true;
    const s = this.socket;
    if (!s || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      s.once("close", () => resolve());
      s.end();
      setTimeout(() => s.destroy(), 500).unref();
    });
  }
}
