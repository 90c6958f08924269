/**
 * The core's write path: every state change, its audit entries and its outbox
 * events commit in ONE SQLite transaction; only after the commit are the bus
 * events emitted (so a listener never sees something that could roll back).
 * Outside `commit` the ledger hands out readers only: the writing repos are
 * reachable through the `Tx` alone, so a write outside a transaction does not
 * compile. A disk that refuses the write (full, I/O error) is noticed here,
 * once, by the `StorageGuard`: the caller gets `Store_Unwritable` and the bus
 * hears `storageFailed` / `storageRecovered`.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../store/openDatabase.js";
import { CaseRepo } from "../store/CaseRepo.js";
import { CompartmentRepo } from "../store/CompartmentRepo.js";
import { AuditLog, type AuditFields } from "../store/AuditLog.js";
import { Outbox } from "../store/Outbox.js";
import { StorageGuard } from "../store/StorageGuard.js";
import type { Clock } from "../util/clock.js";
import type { Case } from "./Case.js";
import type { Actor, AuditEntry } from "./LockerApi.js";
import type { CaseState, CompartmentSnapshot, DomainEvents, LockerEvent } from "./events.js";

export type EventFields = Omit<LockerEvent, "id" | "time" | "clockTrusted" | "lockerId">;

/** Case lookups that write nothing. */
export type CaseReader = Pick<CaseRepo, "get" | "byNumber" | "list" | "inStates" | "collectableByPhone" | "withPendingOp" | "purgeable">;
/** Compartment lookups that write nothing. */
export type CompartmentReader = Pick<CompartmentRepo, "get" | "all">;

/** What one transaction may do: write cases and compartments, audit, queue events. */
export interface Tx {
  nowIso: string;
  cases: CaseRepo;
  compartments: CompartmentRepo;
  audit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: AuditFields): void;
  /** Append an event to the outbox (published after commit). */
  event(fields: EventFields): LockerEvent;
  /** Announce a case state change on the bus after commit. */
  caseChanged(c: Pick<Case, "id" | "number">, state: CaseState, previous?: CaseState): void;
  /** Announce that compartments changed (a snapshot is pushed after commit). */
  compartmentsChanged(): void;
}

export class Ledger {
  readonly cases: CaseReader;
  readonly compartments: CompartmentReader;
  readonly auditLog: Pick<AuditLog, "query">;
  readonly outbox: Pick<Outbox, "pending" | "depth" | "all">;
  /** Write failures of the disk: degraded state, probe, refusal. */
  readonly storage: StorageGuard;
  private readonly caseRepo: CaseRepo;
  private readonly compartmentRepo: CompartmentRepo;
  private readonly audit: AuditLog;
  private readonly out: Outbox;

  constructor(
    readonly db: Db,
    private readonly bus: DomainEvents,
    private readonly clock: Clock,
    private readonly lockerId: string,
    /** Builds the compartment snapshot pushed with `compartmentsChanged`. */
    private readonly snapshot: () => CompartmentSnapshot[],
    helpPhone = "",
  ) {
    this.storage = new StorageGuard(db, { monotonicMs: () => clock.monotonicMs(), helpPhone });
    this.storage.onFailed = (f) => bus.emit("storageFailed", { code: f.code, message: f.message });
    this.storage.onRecovered = () => bus.emit("storageRecovered");
    this.cases = this.caseRepo = new CaseRepo(db);
    this.compartments = this.compartmentRepo = new CompartmentRepo(db);
    this.auditLog = this.audit = new AuditLog(db);
    this.outbox = this.out = new Outbox(db);
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
      cases: this.caseRepo,
      compartments: this.compartmentRepo,
      audit: (actor, action, outcome, fields) => void this.audit.append(nowIso, actor, action, outcome, fields),
      event: (fields) => {
        const e: LockerEvent = { id: randomUUID(), time: nowIso, clockTrusted: this.clock.wallClockTrusted(), lockerId: this.lockerId, ...fields };
        this.out.append(e);
        events.push(e);
        return e;
      },
      caseChanged: (c, state, previous) => void changes.push({ caseId: c.id, caseNumber: c.number, state, ...(previous ? { previous } : {}) }),
      compartmentsChanged: () => void (compartments = true),
    };
    const result = this.storage.transaction(() => fn(tx));
    for (const e of events) this.bus.emit("outboxAppended", e);
    for (const c of changes) this.bus.emit("caseChanged", c);
    if (compartments) this.bus.emit("compartmentsChanged", this.snapshot());
    return result;
  }
}
