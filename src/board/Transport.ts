/**
 * A byte pipe to the bus. Each transport is single-use: open once, then it
 * ends (closed by us or lost); reconnecting means building a new one
 * (`createTransport`). Implementations: `SerialTransport`, `TcpTransport`.
 */
import type { EventEmitter } from "node:events";

export interface TransportEvents {
  data: [Buffer];
  /** The pipe ended: `error` set when it was lost (device unplugged, socket dropped), undefined when we closed it. */
  close: [Error | undefined];
}

export interface Transport extends EventEmitter<TransportEvents> {
  /** Human-readable location, e.g. "/dev/ttyUSB0 @ 9600" or "tcp://10.0.0.5:4001". */
  readonly description: string;
  /** Open the pipe; rejects with a reason a technician can act on. */
  open(): Promise<void>;
  /** Queue bytes; resolves once handed to the OS. */
  write(bytes: Buffer): Promise<void>;
  /** Drop bytes the OS has received but we have not read (no-op where unsupported). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
