/**
 * The locker core: cases, compartments, PINs, tokens, the audit trail and the
 * door rules, over a `DoorHardware` and SQLite. Operations resolve once the
 * lock has released; the case changes state when its door is then seen to
 * open and close again (DoorCycles → the `cycle*` handlers below).
 */
import path from "node:path";
import { createHmac, randomUUID } from "node:crypto";
import type { DoorChangedEvent, DoorHardware } from "../board/DoorHardware.js";
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { Db } from "../store/openDatabase.js";
import type { CaseRow } from "../store/CaseRepo.js";
import { PinThrottleRepo } from "../store/PinThrottleRepo.js";
import type { Actor, AuditEntry, CaseView, DoorOpened, DropoffRequest, LockerApi } from "./LockerApi.js";
import { maskPhone, type AlarmKind, type CaseState, type CompartmentSnapshot, type DomainEvents, type DoorPrompt } from "./events.js";
import { nextCaseState, type CaseTransition } from "./caseMachine.js";
import { nextCompartmentStatus, type CompartmentTransition } from "./compartmentMachine.js";
import { Ledger, type Tx } from "./Ledger.js";
import { DoorCycles } from "./DoorCycles.js";
import { QrTokens } from "./QrTokens.js";
import { PinThrottle } from "./PinThrottle.js";
import { loadOrCreateDeviceSecret } from "./deviceSecret.js";
import { assertPinAcceptable, hashPin, hashPinSync } from "./pins.js";
import { toCaseView, toSnapshot } from "./views.js";
import { reconcileOnStart } from "./reconcileOnStart.js";
import { SYSTEM } from "./actors.js";
import { PickupDesk } from "./PickupDesk.js";
import { THROTTLED_AUDIT_WINDOW_MS, ThrottledRefusals } from "./ThrottledRefusals.js";
import { DoorRules, noFree } from "./DoorRules.js";
import { validateDropoff, validateReason, requireCompartmentNumber } from "./validate.js";

export interface LockerServiceDeps {
  db: Db;
  hardware: DoorHardware;
  config: LockerConfig;
  events: DomainEvents;
  log: Logger;
  clock: Clock;
  /** Device secret file; default `<dataDir>/device-secret`. */
  secretFile?: string;
}

export { SYSTEM };
const DAY_MS = 86_400_000;

export class LockerService implements LockerApi {
  readonly ledger: Ledger;
  readonly doors: DoorCycles;
  readonly rules: DoorRules;
  private readonly qr: QrTokens;
  private readonly throttle: PinThrottle;
  private readonly pickupDesk: PickupDesk;
  private readonly refusals: ThrottledRefusals;
  private readonly secret: Buffer;
  private link: { url: string; token: string; expiresAtWallMs: number } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private readonly unlocking = new Set<number>();

  constructor(private readonly d: LockerServiceDeps) {
    const { db, config, clock, events } = d;
    this.secret = loadOrCreateDeviceSecret(d.secretFile ?? path.join(config.dataDir, "device-secret"));
    this.ledger = new Ledger(db, events, clock, config.lockerId, () => this.compartments());
    this.ledger.compartments.ensure(
      config.compartments.map((c) => c.number),
      this.ledger.nowIso(),
    );
    this.qr = new QrTokens(db, this.secret, config.lockerId, clock, config.rules.tokenTtlMs);
    this.throttle = new PinThrottle(new PinThrottleRepo(db), config.pins, clock, (phone) => createHmac("sha256", this.secret).update(`phone:${phone}`).digest("hex"));
    this.refusals = new ThrottledRefusals(clock, {
      first: (actor, detail) => this.recordAudit(actor, "pickup", "refused", { reason: "throttled", detail }),
      summaries: (rows) => this.ledger.commit((tx) => rows.forEach((r) => tx.audit(r.actor, "pickup", "refused", { reason: "throttled (aggregated)", detail: { ...r.detail } }))),
    });
    this.pickupDesk = new PickupDesk(this, this.throttle, config.pins, this.refusals);
    this.rules = new DoorRules(this);
    this.doors = new DoorCycles(config.rules, {
      opened: (w) => this.rules.cycleOpened(w),
      closed: (w) => this.rules.cycleClosed(w),
      neverOpened: (w) => this.rules.cycleNeverOpened(w),
      leftOpen: (n, ms, w) => this.rules.doorLeftOpen(n, ms, w),
      unexpectedOpen: (ev) => this.rules.unexpectedOpen(ev),
      unexpectedClose: (ev) => this.rules.auditDoor(ev, "door-closed"),
    });
  }

  get log(): Logger {
    return this.d.log;
  }
  get hardware(): DoorHardware {
    return this.d.hardware;
  }
  get clock(): Clock {
    return this.d.clock;
  }
  get config(): LockerConfig {
    return this.d.config;
  }

  /** Wait for the first poll (up to `firstPollTimeoutMs`), reconcile, then start timers and follow door events. */
  async start(firstPollTimeoutMs = 5_000): Promise<void> {
    if (this.started) return;
    this.started = true;
    const hw = this.d.hardware;
    try {
      await hw.firstPoll(firstPollTimeoutMs);
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, "board did not answer its first poll; reconciling with unknown doors");
    }
    const onDoor = (ev: DoorChangedEvent) => this.onDoor(ev);
    const onOffline = (e: { reason: string }) => this.rules.boardOffline(e.reason);
    const onOnline = () => this.rules.boardOnline();
    hw.on("door", onDoor);
    hw.on("offline", onOffline);
    hw.on("online", onOnline);
    this.unsubscribe.push(() => hw.off("door", onDoor), () => hw.off("offline", onOffline), () => hw.off("online", onOnline));
    reconcileOnStart(this);
    this.sweep();
    if (this.d.clock.wallClockTrusted()) this.rotateQr();
    const { qrRotateMs, overdueRepeatMs } = this.d.config.rules;
    // With an unsynchronised clock no token can be issued; the kiosk shows why (Locker_ClockUnsynced).
    this.timers.push(setInterval(() => this.d.clock.wallClockTrusted() && this.safely("qr rotation", () => this.rotateQr()), qrRotateMs));
    this.timers.push(setInterval(() => this.safely("sweep", () => this.sweep()), Math.min(60_000, overdueRepeatMs)));
    this.timers.push(setInterval(() => this.safely("throttled-refusal audit", () => this.refusals.flushExpired()), THROTTLED_AUDIT_WINDOW_MS / 4));
  }

  /** Stop timers and stop following the hardware. Pending door cycles are settled at the next start. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.safely("throttled-refusal audit", () => this.refusals.flushAll());
    for (const u of this.unsubscribe.splice(0)) u();
    this.doors.stop();
    this.started = false;
  }

  // ---- QR tokens ---------------------------------------------------------

  currentDropoffLink(): { url: string; token: string; expiresAtWallMs: number } {
    if (!this.link || this.link.expiresAtWallMs - this.d.clock.wallMs() < this.d.config.rules.tokenTtlMs / 4) this.rotateQr();
    return this.link!;
  }

  checkDropoffToken(token: string): { ok: true; expiresAtWallMs: number } | { ok: false; code: number; message: string } {
    try {
      return { ok: true, expiresAtWallMs: this.qr.verify(token).expiresAtWallMs };
    } catch (err) {
      if (isLockerError(err)) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }

  /** Issue a new kiosk QR link and announce it (`qrRotated`). */
  rotateQr(): void {
    const t = this.qr.issue();
    const url = `${this.d.config.publicBaseUrl.replace(/\/+$/, "")}/d/${t.token}`;
    this.link = { url, token: t.token, expiresAtWallMs: t.expiresAtWallMs };
    this.d.events.emit("qrRotated", { url, expiresAtWallMs: t.expiresAtWallMs });
  }

  // ---- drop-off ----------------------------------------------------------

  async startDropoff(req: DropoffRequest, actor: Actor): Promise<DoorOpened & { caseId: string; caseNumber: string }> {
    validateDropoff(req, this.d.config);
    assertPinAcceptable(req.pin, req.phone);
    const token = this.qr.verify(req.token, req.scancodeTime);
    this.requireOnline();
    const pinHash = await hashPin(req.pin, this.d.config.pins.scryptCost);
    const caseId = randomUUID();
    const row = this.ledger.commit((tx) => {
      const n = this.pickFree();
      if (n === undefined) {
        this.rules.noFreeCompartment(tx, actor, "drop-off");
        return undefined;
      }
      const now = tx.nowIso;
      const number = this.ledger.cases.nextNumber();
      this.ledger.cases.insert({
        id: caseId,
        number,
        state: "dropoff_pending",
        matter: req.matter,
        phone: req.phone,
        phone_masked: maskPhone(req.phone),
        name: req.name ?? null,
        note: req.note ?? null,
        pin_hash: pinHash,
        compartment: n,
        pending_op: "dropoff",
        pending_phase: "reserved",
        created_at: now,
        updated_at: now,
      });
      this.qr.claim(token, caseId);
      this.moveCompartment(tx, n, "reserve", caseId);
      tx.audit(actor, "dropoff-start", "ok", { caseId, compartment: n, detail: { matter: req.matter, phone: maskPhone(req.phone), number } });
      tx.caseChanged({ id: caseId, number }, "dropoff_pending");
      return this.ledger.cases.get(caseId)!;
    });
    this.safely("qr rotation", () => this.rotateQr());
    if (!row) throw noFree();
    const opened = await this.rules.unlockWithFallback(row, "dropoff", actor);
    return { caseId: row.id, caseNumber: row.number, compartment: opened };
  }

  // ---- staff -------------------------------------------------------------

  async staffCollect(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.requireCase(caseId);
    if (c.state !== "dropped_off" && c.state !== "ready" && c.state !== "frozen") nextCaseState(c.state, "staffCollected");
    return this.openHeld(c, "staff-collect", actor);
  }

  async staffReturn(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.requireCase(caseId);
    this.requireOnline();
    const row = this.ledger.commit((tx) => {
      const n = this.pickFree();
      if (n === undefined) {
        this.rules.noFreeCompartment(tx, actor, "return", c.id);
        return undefined;
      }
      this.moveCase(tx, c, "returnStarted", { compartment: n, pending_op: "staff-return", pending_phase: "reserved" }, actor);
      this.moveCompartment(tx, n, "reserve", c.id);
      return this.ledger.cases.get(c.id)!;
    });
    if (!row) throw noFree();
    const n = await this.rules.unlockWithFallback(row, "staff-return", actor);
    return { caseId: c.id, caseNumber: c.number, compartment: n };
  }

  async staffOpen(compartment: number, reason: string, actor: Actor): Promise<DoorOpened> {
    requireCompartmentNumber(compartment, this.d.config);
    validateReason(reason);
    const comp = this.ledger.compartments.get(compartment)!;
    this.requireOnline();
    const release = this.claimDoor(compartment);
    const caseRow = comp.case_id ? this.ledger.cases.get(comp.case_id) : undefined;
    try {
      const r = await this.d.hardware.unlock(compartment, `staff-open: ${reason}`);
      this.ledger.commit((tx) => tx.audit(actor, "staff-open", "ok", { compartment, reason, ...(caseRow ? { caseId: caseRow.id } : {}), detail: { pulses: r.pulses } }));
      this.prompt({ compartment, purpose: "staff-open", phase: "open", ...(caseRow ? { caseNumber: caseRow.number } : {}) });
      this.doors.follow({ compartment, purpose: "staff-open", phase: "unlocked", actor, ...(caseRow ? { caseId: caseRow.id, caseNumber: caseRow.number } : {}) }, this.d.hardware.doorState(compartment));
    } catch (err) {
      this.ledger.commit((tx) => {
        tx.audit(actor, "staff-open", "failed", { compartment, reason, detail: { error: (err as Error).message } });
        if (isLockerError(err, ErrorCode.Board_LockFault)) this.rules.lockFault(tx, compartment, err.message, actor);
      });
      throw err;
    } finally {
      release();
    }
    return { compartment, ...(caseRow ? { caseId: caseRow.id, caseNumber: caseRow.number } : {}) };
  }

  disable(compartment: number, reason: string, actor: Actor): void {
    requireCompartmentNumber(compartment, this.d.config);
    validateReason(reason);
    const comp = this.ledger.compartments.get(compartment)!;
    if (comp.status === "disabled") return;
    if (comp.status === "reserved" || comp.status === "holding") {
      this.ledger.commit((tx) => tx.audit(actor, "disable", "refused", { compartment, reason, detail: { status: comp.status } }));
      throw new LockerError(`compartment ${compartment} is ${comp.status} for a case; empty it before disabling it`, ErrorCode.Locker_CompartmentUnavailable, { compartment });
    }
    this.ledger.commit((tx) => {
      this.moveCompartment(tx, compartment, "disable", null, reason);
      tx.audit(actor, "disable", "ok", { compartment, reason });
    });
  }

  enable(compartment: number, actor: Actor): void {
    requireCompartmentNumber(compartment, this.d.config);
    const comp = this.ledger.compartments.get(compartment)!;
    if (comp.status !== "disabled" && comp.status !== "faulty") return;
    this.ledger.commit((tx) => {
      this.moveCompartment(tx, compartment, comp.status === "faulty" ? "repair" : "enable", null);
      tx.audit(actor, "enable", "ok", { compartment, detail: { was: comp.status } });
    });
  }

  resetPin(caseId: string, newPin: string, actor: Actor): void {
    const c = this.requireCase(caseId);
    if (c.state !== "frozen" && c.state !== "ready") {
      throw new LockerError(`case ${c.number} is ${c.state}; a PIN can be reset only for a ready or frozen case`, ErrorCode.Locker_IllegalTransition, { caseId: c.id });
    }
    assertPinAcceptable(newPin, c.phone ?? undefined);
    const pinHash = hashPinSync(newPin, this.d.config.pins.scryptCost);
    this.ledger.commit((tx) => {
      if (c.state === "frozen") this.moveCase(tx, c, "pinReset", { pin_hash: pinHash, failed_pins: 0 }, actor);
      else this.ledger.cases.update(c.id, { pin_hash: pinHash, failed_pins: 0, updated_at: tx.nowIso });
      tx.audit(actor, "pin-reset", "ok", { caseId: c.id, compartment: c.compartment ?? undefined });
    });
  }

  /**
   * Before `selftest --cycle` unlocks every door in turn: refuse while any
   * compartment holds or awaits a pouch or a door is in use (that would open
   * residents' documents to whoever stands there); audit the run either way.
   */
  admitSelftestCycle(actor: Actor): void {
    const inUse = this.compartments()
      .filter((c) => c.status === "reserved" || c.status === "holding" || this.doors.busy(c.number) || this.unlocking.has(c.number))
      .map((c) => c.number);
    if (inUse.length > 0) {
      this.recordAudit(actor, "selftest-cycle", "refused", { reason: `door(s) ${inUse.join(", ")} hold or await a pouch or are in use` });
      throw new LockerError(
        `selftest --cycle would open door(s) ${inUse.join(", ")}, which hold or await a pouch or are in use; run it when every compartment is free (or use 'lockerctl open <n> --reason ...' for one door)`,
        ErrorCode.Locker_CompartmentUnavailable,
        { compartments: inUse },
      );
    }
    this.recordAudit(actor, "selftest-cycle", "ok", { reason: "unlock every compartment in turn" });
  }

  // ---- resident pickup ---------------------------------------------------

  pickup(phone: string, pin: string, actor: Actor): Promise<DoorOpened[]> {
    return this.pickupDesk.pickup(phone, pin, actor);
  }

  // ---- queries -----------------------------------------------------------

  /** By case id only (an unguessable UUID): a speakable number must not let anyone browse cases. */
  caseStatus(caseId: string): CaseView {
    const c = typeof caseId === "string" && caseId.length <= 64 ? this.ledger.cases.get(caseId) : undefined;
    if (!c) throw notFound(String(caseId));
    return toCaseView(c);
  }

  listCases(filter: { state?: CaseState; limit?: number }): CaseView[] {
    return this.ledger.cases.list({ ...(filter.state ? { state: filter.state } : {}), limit: clampLimit(filter.limit, 100) }).map((r) => toCaseView(r));
  }

  getCase(idOrNumber: string, opts?: { unmasked?: boolean }): CaseView {
    return toCaseView(this.requireCase(idOrNumber), opts?.unmasked === true);
  }

  audit(filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[] {
    return this.ledger.auditLog.query({ ...filter, limit: clampLimit(filter.limit, 200) });
  }

  compartments(): CompartmentSnapshot[] {
    const rows = new Map(this.ledger.compartments.all().map((r) => [r.number, r]));
    return this.d.config.compartments.map((c) => {
      const row = rows.get(c.number);
      const caseNumber = row?.case_id ? this.ledger.cases.get(row.case_id)?.number : undefined;
      return toSnapshot(c, row, this.d.hardware.doorState(c.number), caseNumber);
    });
  }

  recordAudit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>): void {
    this.ledger.commit((tx) => tx.audit(actor, action, outcome, fields));
  }

  /** Flag overdue cases and purge personal data of long-closed ones. Needs a trusted wall clock; otherwise does nothing. */
  sweep(): void {
    const clock = this.d.clock;
    if (!clock.wallClockTrusted()) return;
    this.throttle.prune();
    const now = clock.wallMs();
    const { holdDays, overdueRepeatMs, privacyPurgeDays } = this.d.config.rules;
    this.ledger.commit((tx) => {
      for (const c of this.ledger.cases.inStates(["ready", "frozen"])) {
        if (c.ready_ms === null) {
          // Became ready while the clock was unsynchronised: the hold period starts now.
          this.ledger.cases.update(c.id, { ready_ms: now, ready_at: tx.nowIso });
          continue;
        }
        if (now - c.ready_ms < holdDays * DAY_MS) continue;
        if (c.overdue_last_ms !== null && now - c.overdue_last_ms < overdueRepeatMs) continue;
        this.ledger.cases.update(c.id, { overdue: 1, overdue_last_ms: now });
        tx.event({ type: "overdue", caseId: c.id, caseNumber: c.number, matter: c.matter, phone: c.phone_masked, ...(c.compartment ? { compartment: c.compartment } : {}), detail: { readyAt: c.ready_at, holdDays } });
        tx.audit(SYSTEM, "overdue", "ok", { caseId: c.id, compartment: c.compartment ?? undefined });
      }
      for (const c of this.ledger.cases.inStates(["collected", "cancelled"])) {
        if (c.closed_ms === null && c.purged_at === null) this.ledger.cases.update(c.id, { closed_ms: now });
      }
      for (const c of this.ledger.cases.purgeable(now - privacyPurgeDays * DAY_MS)) {
        this.ledger.cases.update(c.id, { phone: null, phone_masked: "***", name: null, note: null, pin_hash: null, purged_at: tx.nowIso });
        tx.audit(SYSTEM, "privacy-purge", "ok", { caseId: c.id, reason: `closed more than ${privacyPurgeDays} days ago` });
      }
    });
  }

  // ---- internals shared with PickupDesk and reconciliation ---------------

  /** Case by id or speakable number, or Locker_CaseNotFound. */
  requireCase(idOrNumber: string): CaseRow {
    if (typeof idOrNumber !== "string" || idOrNumber.length === 0 || idOrNumber.length > 64) throw notFound(String(idOrNumber));
    const c = this.ledger.cases.get(idOrNumber) ?? this.ledger.cases.byNumber(idOrNumber);
    if (!c) throw notFound(idOrNumber);
    return c;
  }

  requireOnline(): void {
    if (!this.d.hardware.online) {
      throw new LockerError("the locker is out of service (its lock board is not answering); staff have been alerted", ErrorCode.Board_Offline);
    }
  }

  /** Apply a named case transition plus column changes; audits and announces it. */
  moveCase(tx: Tx, c: CaseRow, t: CaseTransition, fields: Partial<CaseRow>, actor: Actor): CaseState {
    const current = this.ledger.cases.get(c.id)!;
    const to = nextCaseState(current.state, t);
    const trusted = this.d.clock.wallClockTrusted();
    const extra: Partial<CaseRow> = {};
    if (to === "ready" && t === "returnCompleted") Object.assign(extra, { ready_at: tx.nowIso, ready_ms: trusted ? this.d.clock.wallMs() : null, overdue: 0, overdue_last_ms: null });
    if (to === "collected" || to === "cancelled") Object.assign(extra, { closed_at: tx.nowIso, closed_ms: trusted ? this.d.clock.wallMs() : null, pending_op: null, pending_phase: null });
    this.ledger.cases.update(c.id, { state: to, updated_at: tx.nowIso, ...extra, ...fields });
    tx.audit(actor, `case-${t}`, "ok", { caseId: c.id, compartment: fields.compartment ?? current.compartment ?? undefined, detail: { from: current.state, to } });
    tx.caseChanged(current, to, current.state);
    return to;
  }

  moveCompartment(tx: Tx, n: number, t: CompartmentTransition, caseId: string | null, faultReason: string | null = null): void {
    const row = this.ledger.compartments.get(n)!;
    const to = nextCompartmentStatus(row.status, t);
    this.ledger.compartments.set(n, to, to === "reserved" || to === "holding" ? caseId : null, to === "faulty" || to === "disabled" ? faultReason : null, tx.nowIso);
    tx.compartmentsChanged();
  }

  /** Record and announce an alarm (outbox + audit) inside `tx`. */
  alarm(tx: Tx, kind: AlarmKind, message: string, fields: { compartment?: number; caseId?: string; caseNumber?: string; detail?: Record<string, unknown> } = {}, actor: Actor = SYSTEM): void {
    tx.event({ type: "alarm", kind, message, ...fields });
    tx.audit(actor, `alarm-${kind}`, "ok", { reason: message, ...(fields.caseId ? { caseId: fields.caseId } : {}), ...(fields.compartment ? { compartment: fields.compartment } : {}), ...(fields.detail ? { detail: fields.detail } : {}) });
    this.d.log.warn({ kind, compartment: fields.compartment, caseNumber: fields.caseNumber }, `alarm: ${message}`);
  }

  prompt(p: DoorPrompt): void {
    this.d.events.emit("doorPrompt", p);
  }

  /** Run `fn`, logging instead of throwing (timers and event handlers). */
  safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.d.log.error({ err: (err as Error).message, code: (err as LockerError).code }, `${what} failed`);
    }
  }

  /** Open the compartment that holds case `c` for a staff collect or a pickup; follow its door. */
  async openHeld(c: CaseRow, op: "staff-collect" | "pickup", actor: Actor): Promise<DoorOpened> {
    const n = c.compartment;
    if (n === null || c.closed_at !== null) throw new LockerError(`case ${c.number} is not in a compartment`, ErrorCode.Locker_IllegalTransition, { caseId: c.id });
    this.requireOnline();
    const release = this.claimDoor(n);
    try {
      this.ledger.commit((tx) => {
        if (op === "pickup") this.moveCase(tx, c, "pickupStarted", { pending_op: op, pending_phase: "reserved" }, actor);
        else this.ledger.cases.update(c.id, { pending_op: op, pending_phase: "reserved", updated_at: tx.nowIso });
      });
    } catch (err) {
      // The case moved on while the caller awaited (e.g. frozen during the PIN hash): nothing was sent, so the door is free again.
      release();
      throw err;
    }
    try {
      const r = await this.d.hardware.unlock(n, `${op} case ${c.number}`);
      this.rules.afterUnlock(c, n, op, actor, r.pulses);
      return { caseId: c.id, caseNumber: c.number, compartment: n };
    } catch (err) {
      this.ledger.commit((tx) => {
        tx.audit(actor, `${op}-unlock`, "failed", { caseId: c.id, compartment: n, detail: { error: (err as Error).message } });
        if (isLockerError(err, ErrorCode.Board_LockFault)) this.rules.lockFault(tx, n, err.message, actor, c);
        if (op === "pickup") this.moveCase(tx, c, "pickupAborted", { pending_op: null, pending_phase: null }, actor);
        else this.ledger.cases.update(c.id, { pending_op: null, pending_phase: null, updated_at: tx.nowIso });
      });
      this.prompt({ compartment: n, purpose: op, caseNumber: c.number, phase: "fault" });
      throw err;
    } finally {
      release();
    }
  }

  /**
   * Mark a door as being unlocked until its cycle is followed (the unlock is
   * awaited, so `doors.busy` alone would let a second caller in). Returns the release.
   */
  claimDoor(n: number): () => void {
    if (this.doors.busy(n) || this.unlocking.has(n)) throw busy(n);
    this.unlocking.add(n);
    return () => void this.unlocking.delete(n);
  }

  /** Follow a door that was restored from the database (reconciliation). */
  resumeCycle(c: CaseRow, phase: "unlocked" | "opened"): void {
    const op = c.pending_op!;
    this.doors.follow({ compartment: c.compartment!, purpose: op, caseId: c.id, caseNumber: c.number, phase, actor: SYSTEM }, this.d.hardware.doorState(c.compartment!));
  }

  // The composition root relays raw `door`, `online` and `offline` to the bus; the core adds its rules.
  private onDoor(ev: DoorChangedEvent): void {
    this.doors.onDoor(ev);
    this.d.events.emit("compartmentsChanged", this.compartments());
  }

  /** First free compartment in configured order (disabled and faulty ones are never free; busy doors are skipped). */
  pickFree(): number | undefined {
    for (const c of this.d.config.compartments) {
      const row = this.ledger.compartments.get(c.number);
      if (row?.status === "free" && !this.doors.busy(c.number) && !this.unlocking.has(c.number)) return c.number;
    }
    return undefined;
  }
}

function notFound(id: string): LockerError {
  return new LockerError(`no case ${id.slice(0, 64)}; check the case number`, ErrorCode.Locker_CaseNotFound, { id: id.slice(0, 64) });
}
function busy(n: number): LockerError {
  return new LockerError(`door ${n} is being used right now; wait until it is closed`, ErrorCode.Locker_Busy, { compartment: n });
}
function clampLimit(limit: number | undefined, fallback: number): number {
  return typeof limit === "number" && Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 10_000) : fallback;
}
