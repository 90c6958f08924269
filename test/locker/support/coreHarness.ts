/** Builds a LockerService on a real SQLite file in a temp dir, capturing every log line. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { DoorHardware } from "../../../src/board/DoorHardware.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { defaultConfig } from "../../../src/config/defaults.js";
import { createLogger, type Logger } from "../../../src/util/logger.js";
import type { Clock } from "../../../src/util/clock.js";
import { openDatabase, type Db } from "../../../src/store/openDatabase.js";
import { DomainEvents, type LockerEvent } from "../../../src/locker/events.js";
import type { LockerService } from "../../../src/locker/LockerService.js";
import { openLockerService } from "../../../src/locker/openLockerService.js";
import type { Actor } from "../../../src/locker/LockerApi.js";

/** Every log line any harness wrote in this process (the privacy test reads it). */
export const ALL_LOG_LINES: string[] = [];

export const RESIDENT: Actor = { kind: "resident", id: "kiosk-1", via: "kiosk", client: "kiosk-1" };
export const STAFF: Actor = { kind: "staff", id: "s1", name: "Wang", via: "staff-page" };

export interface CoreHarness {
  dir: string;
  dbFile: string;
  db: Db;
  config: LockerConfig;
  events: DomainEvents;
  service: LockerService;
  /** The capturing logger the service writes to. */
  log: Logger;
  published: LockerEvent[];
  logLines: string[];
  close(): void;
}

export function testConfig(dir: string, patch: (c: LockerConfig) => void = () => {}): LockerConfig {
  const c = defaultConfig();
  c.dataDir = dir;
  c.pins.scryptCost = 1024;
  c.rules.doorOpenTimeoutMs = 60_000;
  c.rules.doorLeftOpenMs = 90_000;
  c.log.pretty = false;
  patch(c);
  return c;
}

export function buildCore(opts: {
  /** The hardware, or a factory given the final config and the capturing logger. */
  hardware: DoorHardware | ((config: LockerConfig, log: Logger) => DoorHardware);
  clock: Clock;
  dir?: string;
  config?: (c: LockerConfig) => void;
}): CoreHarness {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-core-"));
  const config = testConfig(dir, opts.config);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      const s = String(chunk);
      logLines.push(s);
      ALL_LOG_LINES.push(s);
      cb();
    },
  });
  const log = createLogger({ level: "trace", pretty: false, destination });
  const dbFile = path.join(dir, "lockerd.sqlite");
  const db = openDatabase(dbFile, log);
  const events = new DomainEvents();
  const published: LockerEvent[] = [];
  events.on("outboxAppended", (e) => published.push(e));
  const hardware = typeof opts.hardware === "function" ? opts.hardware(config, log) : opts.hardware;
  const service = openLockerService({ db, hardware, config, events, log: log.child({ ns: "core" }), clock: opts.clock });
  return {
    dir,
    dbFile,
    db,
    config,
    events,
    service,
    log,
    published,
    logLines,
    close() {
      service.stop();
      db.close();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll `cond` until true (CPU may be loaded: generous default). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
