/**
 * The core's write path: every state change, its audit entries and its outbox
 * events commit in ONE SQLite transaction; only after the commit are the bus
 * events emitted (so a listener never sees something that could roll back).
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../store/openDatabase.js";
import { CaseRepo, type CaseRow } from "../store/CaseRepo.js";
import { CompartmentRepo } from "../store/CompartmentRepo.js";
import { AuditLog, type AuditFields } from "../store/AuditLog.js";
import { Outbox } from "../store/Outbox.js";
import type { Clock } from "../util/clock.js";
import type { Actor, AuditEntry } from "./LockerApi.js";
import type { CaseState, CompartmentSnapshot, DomainEvents, LockerEvent } from "./events.js";

export type EventFields = Omit<LockerEvent, "id" | "time" | "clockTrusted" | "lockerId">;

/** What one transaction may do besides writing rows. */
export interface Tx {
  nowIso: string;
  audit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: AuditFields): void;
  /** Append an event to the outbox (published after commit). */
  event(fields: EventFields): LockerEvent;
  /** Announce a case state change on the bus after commit. */
  caseChanged(row: Pick<CaseRow, "id" | "number">, state: CaseState, previous?: CaseState): void;
  /** Announce that compartments changed (a snapshot is pushed after commit). */
  compartmentsChanged(): void;
}

export class Ledger {
  readonly cases: CaseRepo;
  readonly compartments: CompartmentRepo;
  readonly auditLog: AuditLog;
  readonly outbox: Outbox;

  constructor(
    readonly db: Db,
    private readonly bus: DomainEvents,
    private readonly clock: Clock,
    private readonly lockerId: string,
    /** Builds the compartment snapshot pushed with `compartmentsChanged`. */
    private readonly snapshot: () => CompartmentSnapshot[],
  ) {
    this.cases = new CaseRepo(db);
    this.compartments = new CompartmentRepo(db);
    this.auditLog = new AuditLog(db);
    this.outbox = new Outbox(db);
  }

  nowIso(): string {
    return new Date(this.clock.wallMs()).toISOString();
  }

  /** Run `fn` in one transaction; after it commits, emit what it announced. */
  commit<T>(fn: (tx: Tx) => T): T {
    const events: LockerEvent[] = [];
    const changes: { caseId: string; caseNumber: string; state: CaseState; previous?: CaseState }[] = [];
    let compartments = false;
    const nowIso = this.nowIso();
    const tx: Tx = {
      nowIso,
      audit: (actor, action, outcome, fields) => void this.auditLog.append(nowIso, actor, action, outcome, fields),
      event: (fields) => {
        const e: LockerEvent = { id: randomUUID(), time: nowIso, clockTrusted: this.clock.wallClockTrusted(), lockerId: this.lockerId, ...fields };
        this.outbox.append(e);
        events.push(e);
        return e;
      },
      caseChanged: (row, state, previous) => void changes.push({ caseId: row.id, caseNumber: row.number, state, ...(previous ? { previous } : {}) }),
      compartmentsChanged: () => void (compartments = true),
    };
    const result = this.db.transaction(() => fn(tx))();
    for (const e of events) this.bus.emit("outboxAppended", e);
    for (const c of changes) this.bus.emit("caseChanged", c);
    if (compartments) this.bus.emit("compartmentsChanged", this.snapshot());
    return result;
  }
}
