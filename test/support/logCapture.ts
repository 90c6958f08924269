/** A pino logger whose every line the test can read (and, with a trace file, keep). */
import fs from "node:fs";
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/util/logger.js";

/** Every log line any harness captured in this test process (the privacy tests read it). */
export const ALL_LOG_LINES: string[] = [];

export interface LogCapture {
  log: Logger;
  /** Each JSON log line written so far, raw text, without the newline. */
  lines: string[];
  /** Close the trace file, if any. */
  close(): void;
}

/** `traceFile`: also append the raw log there (a harness's `debug: true`). */
export function captureLog(opts: { level?: string; traceFile?: string } = {}): LogCapture {
  const lines: string[] = [];
  const trace = opts.traceFile ? fs.createWriteStream(opts.traceFile, { flags: "a" }) : undefined;
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        lines.push(line);
        ALL_LOG_LINES.push(line);
      }
      trace?.write(chunk);
      cb();
    },
  });
  const log = createLogger({ level: opts.level ?? "debug", pretty: false, destination });
  return { log, lines, close: () => trace?.end() };
}
