/** Depth "core": a LockerService on a real SQLite file in a temp dir over a DoorHardware the test gives, every log line captured. */
import path from "node:path";
import type { DoorHardware } from "../../../src/board/DoorHardware.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { defaultConfig } from "../../../src/config/defaults.js";
import type { Logger } from "../../../src/util/logger.js";
import type { Clock } from "../../../src/util/clock.js";
import { openDatabase, type Db } from "../../../src/store/openDatabase.js";
import { DomainEvents, type LockerEvent } from "../../../src/locker/events.js";
import type { LockerService } from "../../../src/locker/LockerService.js";
import { openLockerService } from "../../../src/locker/openLockerService.js";
import type { Actor } from "../../../src/locker/LockerApi.js";
import { captureLog } from "../logCapture.js";
import { makeTempDir, removeDir } from "../tempDir.js";

export const RESIDENT: Actor = { kind: "resident", id: "kiosk-1", via: "kiosk", client: "kiosk-1" };
export const STAFF: Actor = { kind: "staff", id: "s1", name: "Wang", via: "staff-page" };

export interface CoreOptions {
  /** The hardware, or a factory given the final config and the capturing logger. */
  hardware: DoorHardware | ((config: LockerConfig, log: Logger) => DoorHardware);
  clock: Clock;
  /** Reuse a data folder (restart scenarios); it is then left in place. */
  dir?: string;
  config?: (c: LockerConfig) => void;
}

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

/** Defaults for the core: cheap PIN hashing, long door timeouts (tests that need short ones set them). */
export function coreTestConfig(dir: string, patch: (c: LockerConfig) => void = () => {}): LockerConfig {
  const c = defaultConfig();
  c.dataDir = dir;
  c.pins.scryptCost = 1024;
  c.rules.doorOpenTimeoutMs = 60_000;
  c.rules.doorLeftOpenMs = 90_000;
  c.log.pretty = false;
  patch(c);
  return c;
}

/** Synchronous on purpose: the LockerService constructor is, and many tests build one per case. */
export function buildCore(opts: CoreOptions): CoreHarness {
  const dir = opts.dir ?? makeTempDir("lockerd-core-");
  const config = coreTestConfig(dir, opts.config);
  const { log, lines: logLines } = captureLog({ level: "trace" });
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
      if (!opts.dir) removeDir(dir);
    },
  };
}
