/**
 * The composition root: builds every part from the frozen config, starts
 * them in order (database, board, core, MQTT, HTTP) and stops them in
 * reverse. Nothing else in the tree wires parts together.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { LockerConfig } from "../config/LockerConfig.js";
import { daemonAdminRoutes } from "./adminRoutes.js";
import { LockerHardware } from "../board/LockerHardware.js";
import { buildAdminApp } from "../http/buildAdminApp.js";
import type { HealthReport } from "../http/buildPublicApp.js";
import { StaffStore } from "../http/staff/StaffStore.js";
import type { TlsReloader } from "../http/TlsReloader.js";
import { DomainEvents } from "../locker/events.js";
import type { LockerService } from "../locker/LockerService.js";
import { openLockerService } from "../locker/openLockerService.js";
import { MqttService } from "../mqtt/MqttService.js";
import { Outbox } from "../store/Outbox.js";
import { AuditLog } from "../store/AuditLog.js";
import { PinPepper } from "../store/PinPepper.js";
import { NotifyService } from "../notify/NotifyService.js";
import { CaseRepo } from "../store/CaseRepo.js";
import { NotifyCursorRepo } from "../store/NotifyCursorRepo.js";
import { openDatabase, type Db } from "../store/openDatabase.js";
import { refuseSilentReset } from "../store/refuseSilentReset.js";
import { DatabaseFileWatch } from "../store/DatabaseFileWatch.js";
import { raiseSystemAlarm, type SystemAlarmKind } from "./systemAlarm.js";
import { watchStorageAlarm } from "./storageAlarm.js";
import { startRetentionTimer } from "./retentionTimer.js";
import { systemClock, type Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { VERSION } from "./version.js";
import { healthReport } from "./healthReport.js";
import { startPublicListener } from "./publicListener.js";
import { readyWhenBoardAnswers } from "./readyWhenBoardAnswers.js";
import { pinHashMetrics } from "./pinHashMetrics.js";
import { pinHasher } from "../locker/PinHasher.js";

export interface DaemonOptions {
  config: LockerConfig;
  log: Logger;
  clock?: Clock;
  /** Called once the board answered its first poll and both listeners are up (systemd READY=1). */
  onReady?: () => void;
}

interface Started {
  name: string;
  stop: () => Promise<void> | void;
}

/** One running lockerd. `Daemon.start()` resolves when it is ready; `stop()` is idempotent. */
export class Daemon {
  readonly events = new DomainEvents();
  readonly clock: Clock;
  readonly startedAtMs = Date.now();
  db!: Db;
  hardware!: LockerHardware;
  locker!: LockerService;
  mqtt!: MqttService;
  notify!: NotifyService;
  staff!: StaffStore;
  /** Seals PIN and staff-code hashes; its file is kept outside the database. */
  pepper!: PinPepper;
  publicApp!: FastifyInstance;
  adminApp!: FastifyInstance;
  /** Notices database files deleted under the running daemon. */
  fileWatch?: DatabaseFileWatch;
  /** The built-in board simulator when `bus.transport` is `sim`. */
  simulator?: RunningSimulator;
  /** `http(s)://host:port` of the public listener once started. */
  publicUrl = "";
  /** `http://127.0.0.1:port` of the kiosk screen's own listener once started. */
  kioskUrl = "";
  private tls?: TlsReloader;
  private readonly started: Started[] = [];
  private stopping?: Promise<void>;
  private readonly log: Logger;

  private constructor(private readonly opts: DaemonOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log.child({ ns: "daemon" });
    this.events.onListenerError = (event, err) => this.log.error({ err, event }, "event listener failed (isolated)");
  }

  /** Build and start everything; on any failure, stop what had started and rethrow. */
  static async start(opts: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(opts);
    try {
      await daemon.startAll();
    } catch (err) {
      await daemon.stop();
      throw err;
    }
    return daemon;
  }

  get config(): LockerConfig {
    return this.opts.config;
  }

  private async step(name: string, run: () => Promise<Started["stop"]>): Promise<void> {
    const t0 = performance.now();
    const stop = await run();
    this.started.push({ name, stop });
    this.log.debug({ part: name, ms: Math.round(performance.now() - t0) }, "started");
  }

  private async startAll(): Promise<void> {
    const { config } = this.opts;
    const log = this.opts.log;

    await this.step("data", async () => {
      fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o750 });
      return () => {};
    });

    await this.step("database", async () => {
      const file = path.join(config.dataDir, "lockerd.sqlite");
      refuseSilentReset(config.dataDir, file);
      this.db = openDatabase(file, log);
      return () => {
        this.db.close();
      };
    });

    let bus = config.bus;
    if (bus.transport === "sim") {
      await this.step("simulator", async () => {
        // Only the demo needs the simulator: production never loads it.
        const { startSimulator } = await import("../../hardware/simulator/startSimulator.js");
        const sim = await startSimulator({ transport: "tcp", protocol: bus.protocol, boards: bus.boards, controlPort: config.simulator.controlPort });
        this.simulator = sim;
        const people = { openAfterMs: config.simulator.openAfterMs, closeAfterMs: config.simulator.closeAfterMs };
        for (const c of config.compartments) sim.control.board(c.board).setBehaviour(c.channel, people);
        return () => sim.stop();
      });
      bus = { ...bus, transport: this.simulator!.transport };
    }

    await this.step("board", async () => {
      this.hardware = new LockerHardware({ bus, compartments: config.compartments, log, clock: this.clock });
      const doorLog = log.child({ ns: "door" });
      this.hardware.on("door", (e) => {
        // The first poll reports every door (previous "unknown"): only changes are news.
        const level = e.previous === "unknown" ? "debug" : "info";
        doorLog[level]({ compartment: e.compartment, board: e.board, channel: e.channel, commanded: e.commanded }, `door ${e.compartment} ${e.state}`);
        this.events.emit("door", e);
      });
      this.hardware.on("online", () => this.events.emit("boardOnline"));
      this.hardware.on("offline", (e) => this.events.emit("boardOffline", { reason: e.reason }));
      await this.hardware.start();
      try {
        await this.hardware.firstPoll(Math.max(5_000, bus.timeouts.queryReplyMs * 10));
      } catch (err) {
        // Not fatal: the kiosk shows out-of-service and the bus recovers by itself.
        this.log.warn({ err: (err as Error).message }, "board did not answer its first poll; starting anyway (out of service until it does)");
      }
      return () => this.hardware.stop();
    });

    await this.step("core", async () => {
      this.pepper = PinPepper.load(PinPepper.path(config.dataDir));
      this.locker = openLockerService({ db: this.db, hardware: this.hardware, config, events: this.events, log, clock: this.clock, pepper: this.pepper });
      await this.locker.start();
      return () => this.locker.stop();
    });

    const outbox = new Outbox(this.db);
    outbox.onDeadLetter = (d) =>
      this.alarm(outbox, "outbox-dead-letter", `event #${d.seq} (${d.type}) could not be published and was set aside: ${d.reason}; later events go on`, {
        seq: d.seq,
        id: d.id,
        type: d.type,
      });
    await this.step("file-watch", async () => {
      this.fileWatch = new DatabaseFileWatch(this.db, path.resolve(config.dataDir, "lockerd.sqlite"), (loss) =>
        this.alarm(outbox, "database-lost", loss.message, { lost: loss.lost, repaired: loss.repaired }),
      );
      this.fileWatch.start();
      return () => this.fileWatch?.stop();
    });

    // The disk refusing writes: alarm (published directly while the outbox cannot be written).
    await this.step("storage-alarm", async () =>
      watchStorageAlarm({ lockerId: config.lockerId, outbox, events: this.events, locker: this.locker, clock: this.clock, log: this.log }),
    );

    await this.step("retention", async () => startRetentionTimer(this.db, this.clock, log));

    // Built now (health reports read it), connected once ready: see the end of startAll.
    let connecting: Promise<void> | undefined;
    await this.step("mqtt", async () => {
      this.mqtt = new MqttService({ config, version: VERSION, events: this.events, outbox, locker: this.locker, db: this.db, log, clock: this.clock });
      return async () => {
        await connecting?.catch(() => {});
        await this.mqtt.stop();
      };
    });

    // Staff and back-office channels: their own cursors over the same outbox.
    await this.step("notify", async () => {
      const cursors = new NotifyCursorRepo(this.db);
      this.notify = new NotifyService({ config, events: this.events, cursors, outbox, cases: new CaseRepo(this.db), locker: this.locker, clock: this.clock, log });
      this.notify.start();
      return () => this.notify.stop();
    });

    this.staff = new StaffStore(this.db, config.pins.scryptCost, undefined, this.pepper);
    const sealed = this.staff.sealOldHashes();
    if (sealed > 0) this.log.info({ sealed }, "sealed existing staff-code hashes with the device pepper");
    await this.step("http", async () => {
      const listener = await startPublicListener({
        config,
        locker: this.locker,
        events: this.events,
        db: this.db,
        log,
        clock: this.clock,
        health: () => this.health(),
        staff: this.staff,
        version: VERSION,
        auditPage: (f) => new AuditLog(this.db).page(f),
        metrics: () => pinHashMetrics(pinHasher.budget.stats()),
      });
      this.publicApp = listener.app;
      this.publicUrl = listener.url;
      this.tls = listener.tls;
      this.kioskUrl = listener.kioskUrl;
      return () => listener.close();
    });

    await this.step("admin", async () => {
      this.adminApp = await buildAdminApp({
        socketPath: config.http.adminSocket,
        log,
        routes: daemonAdminRoutes(this),
      });
      return async () => {
        await this.adminApp.close();
        fs.rmSync(config.http.adminSocket, { force: true });
      };
    });

    this.log.info({ url: this.publicUrl, kioskUrl: this.kioskUrl, lockerId: config.lockerId, version: VERSION, boardOnline: this.hardware.online }, "lockerd ready");
    this.started.push({ name: "ready-wait", stop: readyWhenBoardAnswers(this.hardware, this.log, this.opts.onReady) });
    // The broker link (staff alerts, back-office requests) starts after READY: a resident does not
    // need it, the outbox keeps every event until the link is up, and loading mqtt.js (and aedes
    // when embedded) was a fifth of a start's CPU. start() still resolves only once it is started.
    const t0 = performance.now();
    connecting = this.mqtt.start();
    await connecting;
    this.log.debug({ part: "mqtt-start", ms: Math.round(performance.now() - t0) }, "started");
  }

  /** Re-read the HTTPS certificate and key (SIGHUP); false when HTTPS is off or the new pair was refused. */
  reloadTls(): boolean {
    return this.tls?.reload("SIGHUP") ?? false;
  }

  /** Raise an alarm of the daemon's plumbing (outbox + bus + audit + log). */
  alarm(outbox: Outbox, kind: SystemAlarmKind, message: string, detail: Record<string, unknown> = {}): void {
    raiseSystemAlarm({ lockerId: this.config.lockerId, outbox, events: this.events, locker: this.locker, clock: this.clock, log: this.log }, kind, message, detail);
  }

  /** What /readyz and /admin/status report. */
  health(): HealthReport {
    return healthReport({
      db: this.db,
      fileWatch: this.fileWatch,
      storage: this.locker?.ledger.storage,
      hardware: this.hardware,
      mqtt: this.mqtt,
      mqttEnabled: this.config.mqtt.url !== "off",
    });
  }

  /** Stop everything in reverse order; the serial transaction in flight is finished by the board layer. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const part of this.started.reverse()) {
        try {
          await part.stop();
          this.log.debug({ part: part.name }, "stopped");
        } catch (err) {
          this.log.error({ err, part: part.name }, "failed to stop cleanly");
        }
      }
      this.started.length = 0;
    })();
    return this.stopping;
  }
}

/** Re-exported so `main.ts` keeps importing it from here. */
export { describeStartFailure } from "./describeStartFailure.js";
