/**
 * NotifyService over a real SQLite file (migrations applied) and its real
 * outbox, without the rest of the daemon: events are appended the way the
 * core appends them, and the channels deliver to local fake services.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pino from "pino";
import type { LockerConfig, NotifyChannelConfig } from "../../../src/config/LockerConfig.js";
import { loadConfig } from "../../../src/config/loadConfig.js";
import { DomainEvents, type LockerEvent } from "../../../src/locker/events.js";
import type { ChannelTiming } from "../../../src/notify/ChannelWorker.js";
import { NotifyService } from "../../../src/notify/NotifyService.js";
import { NotifyCursorRepo } from "../../../src/store/NotifyCursorRepo.js";
import { openDatabase, type Db } from "../../../src/store/openDatabase.js";
import { Outbox } from "../../../src/store/Outbox.js";
import { systemClock } from "../../../src/util/clock.js";

export interface NotifyRig {
  db: Db;
  outbox: Outbox;
  service: NotifyService;
  events: DomainEvents;
  audits: Array<{ action: string; detail?: unknown }>;
  /** Append an event as the core does (outbox row + outboxAppended). */
  emit(e: Partial<LockerEvent> & Pick<LockerEvent, "type">): LockerEvent;
  stop(): Promise<void>;
}

const quiet = pino({ level: process.env.NOTIFY_TEST_LOG ?? "silent" });

export async function startNotifyRig(opts: {
  channels: NotifyChannelConfig[];
  env: NodeJS.ProcessEnv;
  timing?: Partial<ChannelTiming>;
  notify?: Partial<LockerConfig["notify"]>;
  phones?: Record<string, string>;
  dir?: string;
}): Promise<NotifyRig> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-notify-"));
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, notify: { ...opts.notify, channels: opts.channels } as never } });
  const db = openDatabase(path.join(dir, "lockerd.sqlite"), quiet);
  const outbox = new Outbox(db);
  const events = new DomainEvents();
  const audits: NotifyRig["audits"] = [];
  const service = new NotifyService({
    config,
    events,
    cursors: new NotifyCursorRepo(db),
    outbox,
    cases: { get: (id: string) => (opts.phones?.[id] ? ({ phone: opts.phones[id] } as never) : undefined) },
    locker: { recordAudit: (_a, action, _o, f) => void audits.push({ action, detail: f?.detail }) },
    clock: systemClock,
    log: quiet,
    env: opts.env,
    timing: opts.timing,
  });
  service.start();
  return {
    db,
    outbox,
    service,
    events,
    audits,
    emit(partial) {
      const e: LockerEvent = { id: randomUUID(), time: new Date().toISOString(), clockTrusted: true, lockerId: "test-locker", ...partial } as LockerEvent;
      outbox.append(e);
      events.emit("outboxAppended", e);
      return e;
    },
    async stop() {
      await service.stop();
      db.close();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
