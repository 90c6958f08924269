/**
 * The one seam every desk and rule changes the locker through: move a case,
 * move a compartment, raise an alarm (each inside a `Tx`), tell the kiosk
 * what to say, and claim a door while its unlock is on the wire. What a
 * change *means* (which transition when) is decided by the callers; how it is
 * recorded (audit row, bus event, timestamps) is decided here, once.
 */
import type { DoorHardware } from "../board/DoorHardware.js";
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { Case, CaseChanges } from "./Case.js";
import { nextCaseState, type CaseTransition } from "./caseMachine.js";
import { nextCompartmentStatus, type CompartmentTransition } from "./compartmentMachine.js";
import type { DoorCycles, DoorWatch } from "./DoorCycles.js";
import type { AlarmKind, CaseState, DomainEvents, DoorPrompt } from "./events.js";
import type { Ledger, Tx } from "./Ledger.js";
import type { Actor } from "./LockerApi.js";
import { SYSTEM } from "./actors.js";
import { AlarmGate } from "./AlarmGate.js";

/** What the transitions need around them (no I/O happens on construction). */
export interface TransitionDeps {
  ledger: Ledger;
  doors: DoorCycles;
  hardware: DoorHardware;
  config: LockerConfig;
  events: DomainEvents;
  log: Logger;
  clock: Clock;
}

export interface AlarmFields {
  compartment?: number;
  caseId?: string;
  caseNumber?: string;
  detail?: Record<string, unknown>;
}

export class CaseTransitions {
  readonly ledger: Ledger;
  readonly doors: DoorCycles;
  readonly hardware: DoorHardware;
  readonly config: LockerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Doors whose unlock is awaited: `doors.busy` starts only once the cycle is followed. */
  private readonly unlocking = new Set<number>();
  /** One alarm per kind and compartment per interval (AlarmGate). */
  readonly alarmGate: AlarmGate;
  /** Door-cycle outcomes the disk refused to record, by compartment (the latest wins): applied again by `retryStalled`. */
  private readonly stalled = new Map<number, { what: string; fn: () => void }>();

  constructor(private readonly d: TransitionDeps) {
    ({ ledger: this.ledger, doors: this.doors, hardware: this.hardware, config: this.config, clock: this.clock, log: this.log } = d);
    this.alarmGate = new AlarmGate(() => this.clock.monotonicMs());
  }

  /** Apply a named case transition plus field changes; audits and announces it. Returns the new state. */
  moveCase(tx: Tx, c: Pick<Case, "id">, t: CaseTransition, changes: CaseChanges, actor: Actor): CaseState {
    const current = tx.cases.get(c.id)!;
    const to = nextCaseState(current.state, t);
    const trusted = this.clock.wallClockTrusted();
    const stamps: CaseChanges = {};
    if (to === "ready" && t === "returnCompleted")
      Object.assign(stamps, { readyAt: tx.nowIso, readyMs: trusted ? this.clock.wallMs() : null, overdue: false, overdueLastMs: null });
    if (to === "collected" || to === "cancelled")
      Object.assign(stamps, { closedAt: tx.nowIso, closedMs: trusted ? this.clock.wallMs() : null, pendingOp: null, pendingPhase: null });
    tx.cases.update(c.id, { state: to, updatedAt: tx.nowIso, ...stamps, ...changes });
    tx.audit(actor, `case-${t}`, "ok", { caseId: c.id, compartment: changes.compartment ?? current.compartment ?? undefined, detail: { from: current.state, to } });
    tx.caseChanged(current, to, current.state);
    return to;
  }

  /** Change some fields of a case without a state transition (phases, counters). */
  touchCase(tx: Tx, caseId: string, changes: CaseChanges): void {
    tx.cases.update(caseId, { ...changes, updatedAt: tx.nowIso });
  }

  /** Apply a named compartment transition; `caseId` is kept only for reserved/holding, `faultReason` only for faulty/disabled. */
  moveCompartment(tx: Tx, n: number, t: CompartmentTransition, caseId: string | null, faultReason: string | null = null): void {
    const row = tx.compartments.get(n)!;
    const to = nextCompartmentStatus(row.status, t);
    tx.compartments.set(n, to, to === "reserved" || to === "holding" ? caseId : null, to === "faulty" || to === "disabled" ? faultReason : null, tx.nowIso);
    tx.compartmentsChanged();
  }

  /** Note a fault beside a compartment without changing its status (one holding a pouch stays holding). */
  noteCompartmentFault(tx: Tx, n: number, faultReason: string): void {
    const row = tx.compartments.get(n)!;
    tx.compartments.set(n, row.status, row.caseId, faultReason, tx.nowIso);
    tx.compartmentsChanged();
  }

  /** Free a compartment whatever its status (reconciliation of a row left reserved or holding for no live case). */
  freeCompartment(tx: Tx, n: number): void {
    tx.compartments.set(n, "free", null, null, tx.nowIso);
    tx.compartmentsChanged();
  }

  /** Record and announce an alarm (outbox + audit) inside `tx`; identical repeats within the gate's interval are only counted. */
  alarm(tx: Tx, kind: AlarmKind, message: string, fields: AlarmFields = {}, actor: Actor = SYSTEM): void {
    const gate = this.alarmGate.admit(kind, fields.compartment);
    if (!gate.send) {
      this.log.debug({ kind, compartment: fields.compartment, suppressed: gate.suppressed }, `alarm repeated (held back): ${message}`);
      return;
    }
    if (gate.suppressed > 0) {
      message = `${message} (${gate.suppressed} more like it since the last alarm)`;
      fields = { ...fields, detail: { ...fields.detail, suppressed: gate.suppressed } };
    }
    tx.event({ type: "alarm", kind, message, ...fields });
    tx.audit(actor, `alarm-${kind}`, "ok", {
      reason: message,
      ...(fields.caseId ? { caseId: fields.caseId } : {}),
      ...(fields.compartment ? { compartment: fields.compartment } : {}),
      ...(fields.detail ? { detail: fields.detail } : {}),
    });
    this.log.warn({ kind, compartment: fields.compartment, caseNumber: fields.caseNumber }, `alarm: ${message}`);
  }

  /** Tell the kiosk what to say about a door (SSE). */
  prompt(p: DoorPrompt): void {
    this.d.events.emit("doorPrompt", p);
  }

  /**
   * Mark a door as being unlocked until its cycle is followed (the unlock is
   * awaited, so `doors.busy` alone would let a second caller in). Returns the release.
   */
  claimDoor(n: number): () => void {
    if (this.doorInUse(n)) throw new LockerError(`door ${n} is being used right now; wait until it is closed`, ErrorCode.Locker_Busy, { compartment: n });
    this.unlocking.add(n);
    return () => void this.unlocking.delete(n);
  }

  /** True while a door is being unlocked or its cycle is followed. */
  doorInUse(n: number): boolean {
    return this.doors.busy(n) || this.unlocking.has(n);
  }

  /** Follow a door through its cycle from what it shows right now. */
  follow(w: DoorWatch): void {
    this.doors.follow(w, this.hardware.doorState(w.compartment));
  }

  /**
   * First free compartment in configured order (disabled and faulty ones are never free; doors in use
   * are skipped, and so are those whose board senses something inside: a pouch left behind).
   */
  pickFree(): number | undefined {
    for (const c of this.config.compartments) {
      if (this.ledger.compartments.get(c.number)?.status === "free" && !this.doorInUse(c.number) && this.hardware.occupancy(c.number) !== true) return c.number;
    }
    return undefined;
  }

  /** Case by id or speakable number, or Locker_CaseNotFound. */
  requireCase(idOrNumber: string): Case {
    if (typeof idOrNumber !== "string" || idOrNumber.length === 0 || idOrNumber.length > 64) throw caseNotFound(String(idOrNumber));
    const c = this.ledger.cases.get(idOrNumber) ?? this.ledger.cases.byNumber(idOrNumber);
    if (!c) throw caseNotFound(idOrNumber);
    return c;
  }

  /** Board_Offline unless the lock board answers. */
  requireOnline(): void {
    if (!this.hardware.online) {
      throw new LockerError("the locker is out of service (its lock board is not answering); staff have been alerted", ErrorCode.Board_Offline);
    }
  }

  /**
   * `safely` for what a door did (closed, never opened): when the disk refuses
   * the write (`Store_Unwritable`) the outcome is kept in memory and applied
   * again by `retryStalled` once storage recovers, so the cycle is not left
   * `dropoff_pending`/`reserved` until a restart. `fn` re-reads the door and
   * the board when it runs again.
   */
  safelyOrLater(what: string, compartment: number, fn: () => void): void {
    try {
      fn();
      this.stalled.delete(compartment);
    } catch (err) {
      if (!isLockerError(err, ErrorCode.Store_Unwritable)) return void this.log.error({ err: (err as Error).message, code: (err as LockerError).code }, `${what} failed`);
      this.stalled.set(compartment, { what, fn });
      this.log.error({ compartment, err: err.message }, `${what}: not recorded (storage refuses writes); applied again when it recovers`);
    }
  }

  /** Apply again every door outcome the disk refused (storage recovered); returns how many were waiting. */
  retryStalled(): number {
    const waiting = [...this.stalled.entries()];
    this.stalled.clear();
    for (const [n, s] of waiting) this.safelyOrLater(s.what, n, s.fn);
    return waiting.length;
  }

  /** Run `fn`, logging instead of throwing (timers and event handlers). */
  safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: (err as Error).message, code: (err as LockerError).code }, `${what} failed`);
    }
  }
}

/** The answer to an unknown case id or number. */
export function caseNotFound(id: string): LockerError {
  return new LockerError(`no case ${id.slice(0, 64)}; check the case number`, ErrorCode.Locker_CaseNotFound, { id: id.slice(0, 64) });
}
