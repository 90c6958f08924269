/**
 * Small stand-ins for the core (until the lead's harness exists): an
 * in-memory outbox that behaves like B's (ordered, mark-sent, depth) and a
 * locker that records what the MQTT edge asked of it.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { defaultConfig } from "../../../src/config/defaults.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../../src/errors/LockerError.js";
import type { Actor, AuditEntry, LockerApi } from "../../../src/locker/LockerApi.js";
import type { DomainEvents, CompartmentSnapshot, LockerEvent, OutboxEntry, OutboxReader } from "../../../src/locker/events.js";
import { m002_mqtt } from "../../../src/store/migrations/002-mqtt.js";

export class MemoryOutbox implements OutboxReader {
  private seq = 0;
  readonly rows: Array<OutboxEntry & { sent: boolean }> = [];
  readonly sentOrder: number[] = [];
  constructor(private readonly events: DomainEvents) {}

  /** Like the store: append after "commit", then tell the bus. */
  append(partial: Partial<LockerEvent> & Pick<LockerEvent, "type">): LockerEvent {
    const event: LockerEvent = {
      id: randomUUID(),
      time: new Date().toISOString(),
      clockTrusted: true,
      lockerId: "test-locker",
      ...partial,
    };
    this.rows.push({ seq: ++this.seq, event, sent: false });
    this.events.emit("outboxAppended", event);
    return event;
  }
  pending(limit: number): OutboxEntry[] {
    return this.rows
      .filter((r) => !r.sent)
      .slice(0, limit)
      .map(({ seq, event }) => ({ seq, event }));
  }
  markSent(seq: number): void {
    const row = this.rows.find((r) => r.seq === seq);
    if (row && !row.sent) {
      row.sent = true;
      this.sentOrder.push(seq);
    }
  }
  depth(): number {
    return this.rows.filter((r) => !r.sent).length;
  }
}

export interface RecordedCall {
  method: string;
  args: unknown[];
}

/** A LockerApi that records calls; only what the MQTT edge uses is implemented. */
export function recordingLocker(numbers: number[]): LockerApi & { calls: RecordedCall[]; audits: Array<Omit<AuditEntry, "seq" | "time">> } {
  const calls: RecordedCall[] = [];
  const audits: Array<Omit<AuditEntry, "seq" | "time">> = [];
  const audit = (actor: Actor, action: string, outcome: AuditEntry["outcome"], f: Partial<AuditEntry> = {}) =>
    audits.push({ actorKind: actor.kind, actorId: actor.id, via: actor.via, action, outcome, ...f });
  const snap = (): CompartmentSnapshot[] => numbers.map((n) => ({ number: n, size: "M", row: 1, column: n, status: "free", door: "closed" }));
  const missing = (name: string) => () => {
    throw new Error(`${name} is not part of this test double`);
  };
  const must = (n: number) => {
    if (!numbers.includes(n)) throw new LockerError(`no compartment ${n}`, ErrorCode.Locker_CompartmentNotFound);
  };
  return {
    calls,
    audits,
    compartments: snap,
    async staffOpen(n: number, reason: string, actor: Actor) {
      calls.push({ method: "staffOpen", args: [n, reason, actor] });
      must(n);
      audit(actor, "open", "ok", { compartment: n, reason });
      return { compartment: n };
    },
    disable(n: number, reason: string, actor: Actor) {
      calls.push({ method: "disable", args: [n, reason, actor] });
      must(n);
      audit(actor, "disable", "ok", { compartment: n, reason });
    },
    enable(n: number, actor: Actor) {
      calls.push({ method: "enable", args: [n, actor] });
      must(n);
      audit(actor, "enable", "ok", { compartment: n });
    },
    recordAudit(actor, action, outcome, fields) {
      audit(actor, action, outcome, fields);
    },
    currentDropoffLink: missing("currentDropoffLink"),
    checkDropoffToken: missing("checkDropoffToken"),
    startDropoff: missing("startDropoff"),
    pickup: missing("pickup"),
    caseStatus: missing("caseStatus"),
    staffCollect: missing("staffCollect"),
    staffReturn: missing("staffReturn"),
    resetPin: missing("resetPin"),
    listCases: missing("listCases"),
    getCase: missing("getCase"),
    audit: missing("audit"),
  } as LockerApi & { calls: RecordedCall[]; audits: Array<Omit<AuditEntry, "seq" | "time">> };
}

/** A temp data dir with a real SQLite file that has migration 002 applied. */
export function tempStore(): { dir: string; db: Database.Database; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-mqtt-"));
  const db = new Database(path.join(dir, "lockerd.sqlite"));
  db.pragma("journal_mode = WAL");
  db.transaction(() => m002_mqtt.up(db))();
  return {
    dir,
    db,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Default config pointed at `url`, with a unique locker id and a temp data dir. */
export function testConfig(url: string, dataDir: string, over: Partial<LockerConfig["mqtt"]> = {}): LockerConfig {
  const c = defaultConfig();
  c.lockerId = `t-${randomUUID().slice(0, 8)}`;
  c.dataDir = dataDir;
  c.mqtt = { ...c.mqtt, url, reconnectPeriodMs: 200, reconnectMaxMs: 1000, ...over };
  return c;
}

/** A logger that stays quiet unless LOCKERD_TEST_LOG is set. */
export function testLog(): pino.Logger {
  return pino({ level: process.env.LOCKERD_TEST_LOG ?? "silent" });
}
