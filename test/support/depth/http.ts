/**
 * Depth "http": the public app over the FakeLocker (a LockerApi double) with a
 * real SQLite file (staff table, migration 003) in a temp folder; optionally
 * listening on a free loopback port.
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { defaultConfig } from "../../../src/config/defaults.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { buildPublicApp, type HealthReport } from "../../../src/http/buildPublicApp.js";
import { startKioskListener, type KioskListener } from "../../../src/http/kioskListener.js";
import { StaffStore } from "../../../src/http/staff/StaffStore.js";
import { DomainEvents } from "../../../src/locker/events.js";
import { createStaffTable } from "../../../src/store/StaffRepo.js";
import { systemClock } from "../../../src/util/clock.js";
import { FakeLocker } from "../../http/support/FakeLocker.js";
import { captureLog } from "../logCapture.js";
import { makeTempDir, removeDir } from "../tempDir.js";

export interface TestApp {
  app: FastifyInstance;
  locker: FakeLocker;
  events: DomainEvents;
  staff: StaffStore;
  config: LockerConfig;
  health: HealthReport;
  logLines: string[];
  /** Set after listen(). */
  baseUrl: string;
  /** Set after listenKiosk(). */
  kioskUrl: string;
  listen(): Promise<string>;
  /** Serve the app on its kiosk listener (127.0.0.1, free port) too; resolves with its base URL. */
  listenKiosk(): Promise<string>;
  close(): Promise<void>;
}

export async function buildTestApp(over: (c: LockerConfig) => void = () => {}): Promise<TestApp> {
  const dir = makeTempDir("lockerd-http-");
  const config = defaultConfig();
  config.dataDir = dir;
  config.pins.scryptCost = 1024;
  config.http.rateLimitPerMinute = 100_000;
  over(config);
  const db = new Database(path.join(dir, "locker.db"));
  createStaffTable(db);
  const events = new DomainEvents();
  const locker = new FakeLocker(events, config.publicBaseUrl, config.kiosk.rows, config.kiosk.columns);
  const { log, lines: logLines } = captureLog({ level: "info" });
  const staff = new StaffStore(db, 1024);
  const health: HealthReport = { board: { online: true, pollLatencyMs: 12 }, database: { ok: true }, mqtt: { enabled: true, connected: true, queueing: false, outboxDepth: 0 } };
  const app = await buildPublicApp({ config, locker, events, db, log, clock: systemClock, health: () => health, staff });
  let kiosk: KioskListener | undefined;
  const t: TestApp = {
    app,
    locker,
    events,
    staff,
    config,
    health,
    logLines,
    baseUrl: "",
    kioskUrl: "",
    async listen() {
      t.baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
      return t.baseUrl;
    },
    async listenKiosk() {
      kiosk = await startKioskListener(app, 0);
      t.kioskUrl = kiosk.url;
      return kiosk.url;
    },
    async close() {
      await kiosk?.close();
      await app.close();
      db.close();
      removeDir(dir);
    },
  };
  return t;
}
