/**
 * Root logger: pino JSON (one object a line) for systemd/journald, or a
 * human-readable stream with `pretty`. Modules take a child with their own
 * namespace: `const log = root.child({ ns: "board" })`.
 *
 * Redaction is a last line of defence: code must never pass a PIN or a full
 * phone number to the logger in the first place (masked phones only).
 */
import pino, { type Logger, type DestinationStream } from "pino";

export type { Logger };

export const REDACTED_PATHS = [
  "pin",
  "*.pin",
  "newPin",
  "*.newPin",
  "pinConfirm",
  "*.pinConfirm",
  "phone",
  "*.phone",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "staffCode",
  "*.staffCode",
  "req.headers.authorization",
  "req.headers.cookie",
];

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Write here instead of stdout (tests capture every line this way). */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    level: opts.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { pid: process.pid },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } },
    });
  }
  return pino(base);
}

/** Hex dump for frame logs: "8a 01 01 11 9b". */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
}
