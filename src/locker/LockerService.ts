/**
 * The locker core behind `LockerApi`: a thin facade that wires the desks
 * (drop-off, pickup, staff), the QR link, the sweeper and the door rules over
 * one `CaseTransitions` seam, and runs their timers. Construction does no
 * I/O; `openLockerService` (the factory the composition root calls) loads
 * the device secret and registers the compartments first.
 */
import { createHmac } from "node:crypto";
import type { DoorChangedEvent, DoorHardware, ItemChangedEvent } from "../board/DoorHardware.js";
import type { LockerConfig } from "../config/LockerConfig.js";
import { PinThrottleRepo } from "../store/PinThrottleRepo.js";
import { QrTokenRepo } from "../store/QrTokenRepo.js";
import type { Db } from "../store/openDatabase.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { CaseOutcomes } from "./CaseOutcomes.js";
import { CaseTransitions } from "./CaseTransitions.js";
import { DoorCycles } from "./DoorCycles.js";
import { DoorOpener } from "./DoorOpener.js";
import { DoorRules } from "./DoorRules.js";
import { OccupancyRules } from "./OccupancyRules.js";
import { DropoffDesk } from "./DropoffDesk.js";
import { Ledger } from "./Ledger.js";
import type { Actor, AuditEntry, CaseView, DoorOpened, DropoffRequest, FormSessionView, LockerApi, Presence } from "./LockerApi.js";
import { FormSessions } from "./FormSessions.js";
import { PresenceGate } from "./PresenceGate.js";
import { LockerQueries } from "./LockerQueries.js";
import { PickupDesk } from "./PickupDesk.js";
import { PinThrottle } from "./PinThrottle.js";
import { QrLink, type DropoffLink } from "./QrLink.js";
import { QrTokens } from "./QrTokens.js";
import { StaffDesk } from "./StaffDesk.js";
import { Sweeper } from "./Sweeper.js";
import { THROTTLED_AUDIT_WINDOW_MS, ThrottledRefusals } from "./ThrottledRefusals.js";
import type { CaseState, CompartmentSnapshot, DomainEvents } from "./events.js";
import { reconcileOnStart } from "./reconcileOnStart.js";
import { toCaseView } from "./views.js";
import type { PinPepper } from "../store/PinPepper.js";

export interface LockerServiceDeps {
  db: Db;
  hardware: DoorHardware;
  config: LockerConfig;
  events: DomainEvents;
  log: Logger;
  clock: Clock;
  /** The device secret (32 bytes) that signs QR tokens and keys the throttle's phone hashes. */
  secret: Buffer;
  /** The device pepper sealing PIN hashes (kept outside the database); absent only in tests. */
  pepper?: PinPepper;
}

export class LockerService implements LockerApi {
  readonly ledger: Ledger;
  readonly transitions: CaseTransitions;
  private readonly doors: DoorCycles;
  private readonly rules: DoorRules;
  private readonly occupancy: OccupancyRules;
  private readonly qr: QrLink;
  private readonly dropoff: DropoffDesk;
  private readonly sessions: FormSessions;
  private readonly presence: PresenceGate;
  private readonly pickupDesk: PickupDesk;
  private readonly staff: StaffDesk;
  private readonly sweeper: Sweeper;
  private readonly queries: LockerQueries;
  private readonly outcomes: CaseOutcomes;
  private readonly refusals: ThrottledRefusals;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;

  constructor(private readonly d: LockerServiceDeps) {
    const { db, config, clock, events, hardware, secret } = d;
    this.ledger = new Ledger(db, events, clock, config.lockerId, () => this.queries.compartments());
    this.queries = new LockerQueries(this.ledger, config, hardware);
    // The rules are built after the cycles that call them; the handlers only run once a door moves.
    this.doors = new DoorCycles(config.rules, {
      opened: (w) => this.rules.opened(w),
      closed: (w) => this.rules.closed(w),
      neverOpened: (w) => this.rules.neverOpened(w),
      leftOpen: (n, ms, w) => this.rules.leftOpen(n, ms, w),
      unexpectedOpen: (ev) => this.rules.unexpectedOpen(ev),
      unexpectedClose: (ev) => this.rules.unexpectedClose(ev),
    });
    const t = (this.transitions = new CaseTransitions({ ledger: this.ledger, doors: this.doors, hardware, config, events, log: d.log, clock }));
    this.outcomes = new CaseOutcomes(t);
    this.rules = new DoorRules(t, this.outcomes, (this.occupancy = new OccupancyRules(t, this.outcomes)));
    const opener = new DoorOpener(t, this.outcomes);
    this.qr = new QrLink(new QrTokens(new QrTokenRepo(db), secret, config.lockerId, clock, config.rules.tokenTtlMs), config, clock, events);
    const throttle = new PinThrottle(new PinThrottleRepo(db), config.pins, clock, (phone) => createHmac("sha256", secret).update(`phone:${phone}`).digest("hex"));
    this.refusals = new ThrottledRefusals(clock, {
      first: (actor, detail) => this.recordAudit(actor, "pickup", "refused", { reason: "throttled", detail }),
      summaries: (rows) => this.ledger.commit((tx) => rows.forEach((r) => tx.audit(r.actor, "pickup", "refused", { reason: "throttled (aggregated)", detail: { ...r.detail } }))),
    });
    this.sessions = new FormSessions(this.qr, config, clock);
    this.presence = new PresenceGate(this.sessions, this.qr, clock, (actor, reason, detail) => this.recordAudit(actor, "pickup", "refused", { reason, detail }), (err) =>
      d.log.warn({ err }, "presence token was used meanwhile"),
    );
    this.dropoff = new DropoffDesk(t, this.outcomes, opener, this.qr, config, this.sessions, d.pepper);
    this.pickupDesk = new PickupDesk(t, opener, throttle, config.pins, this.refusals, d.pepper);
    this.staff = new StaffDesk(t, this.outcomes, opener, d.pepper);
    this.sweeper = new Sweeper(t, throttle);
  }

  /** Wait for the first poll (up to `firstPollTimeoutMs`), reconcile, then start timers and follow door events. */
  async start(firstPollTimeoutMs = 5_000): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { hardware: hw, clock, log, config } = this.d;
    await hw.firstPoll(firstPollTimeoutMs).catch((err: Error) => log.warn({ err: err.message }, "board did not answer its first poll; reconciling with unknown doors"));
    const onDoor = (ev: DoorChangedEvent) => (this.doors.onDoor(ev), this.d.events.emit("compartmentsChanged", this.compartments()));
    const onOffline = (e: { reason: string }) => (this.doors.markUnseen(), this.rules.boardOffline(e.reason));
    const onOnline = () => this.rules.boardOnline();
    const onItem = (ev: ItemChangedEvent) => (this.occupancy.itemChanged(ev), this.d.events.emit("compartmentsChanged", this.compartments()));
    hw.on("door", onDoor), hw.on("offline", onOffline), hw.on("online", onOnline), hw.on("item", onItem);
    this.unsubscribe.push(() => hw.off("door", onDoor), () => hw.off("offline", onOffline), () => hw.off("online", onOnline), () => hw.off("item", onItem));
    reconcileOnStart(this.transitions, this.outcomes);
    this.sweep();
    if (clock.wallClockTrusted()) this.qr.rotate();
    const { qrRotateMs, overdueRepeatMs } = config.rules;
    const safely = (what: string, fn: () => void) => () => this.transitions.safely(what, fn);
    // With an unsynchronised clock no token can be issued; the kiosk shows why (Locker_ClockUnsynced).
    this.timers.push(setInterval(() => clock.wallClockTrusted() && safely("qr rotation", () => this.qr.rotate())(), qrRotateMs));
    this.timers.push(setInterval(safely("sweep", () => this.sweep()), Math.min(60_000, overdueRepeatMs)));
    this.timers.push(setInterval(safely("throttled-refusal audit", () => this.refusals.flushExpired()), THROTTLED_AUDIT_WINDOW_MS / 4));
  }

  /** Stop timers and stop following the hardware. Pending door cycles are settled at the next start. */
  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.transitions.safely("throttled-refusal audit", () => this.refusals.flushAll());
    for (const u of this.unsubscribe.splice(0)) u();
    this.doors.stop();
    this.started = false;
  }

  currentDropoffLink = (): DropoffLink => this.qr.current();
  checkDropoffToken = (token: string) => this.qr.check(token);
  startDropoff = (req: DropoffRequest, actor: Actor): Promise<DoorOpened & { caseId: string; caseNumber: string }> => this.dropoff.startDropoff(req, actor);
  openFormSession = (link: string, _actor: Actor, scancodeTime?: number): FormSessionView => this.sessions.open(link, scancodeTime);
  formSession = (id: string): FormSessionView => this.sessions.get(id);
  /** Proof of presence first (no PIN attempt spent without it), then the pickup desk. */
  pickup = async (phone: string, pin: string, actor: Actor, presence?: Presence): Promise<DoorOpened[]> => {
    const used = this.presence.admit(actor, presence);
    const opened = await this.pickupDesk.pickup(phone, pin, actor);
    used();
    return opened;
  };
  staffCollect = (caseId: string, actor: Actor): Promise<DoorOpened> => this.staff.staffCollect(caseId, actor);
  staffReturn = (caseId: string, actor: Actor): Promise<DoorOpened> => this.staff.staffReturn(caseId, actor);
  staffOpen = (compartment: number, reason: string, actor: Actor): Promise<DoorOpened> => this.staff.staffOpen(compartment, reason, actor);
  disable = (compartment: number, reason: string, actor: Actor): void => this.staff.disable(compartment, reason, actor);
  enable = (compartment: number, actor: Actor): void => this.staff.enable(compartment, actor);
  resetPin = (caseId: string, newPin: string, actor: Actor): void => this.staff.resetPin(caseId, newPin, actor);
  /** Refuse (and audit) a `selftest --cycle` while any compartment holds or awaits a pouch or a door is in use. */
  admitSelftestCycle = (actor: Actor): void => this.staff.admitSelftestCycle(actor);
  /** Flag overdue cases and purge personal data of long-closed ones (needs a trusted wall clock). */
  sweep = (): void => this.sweeper.sweep();
  caseStatus = (caseId: string): CaseView => this.queries.caseStatus(caseId);
  listCases = (filter: { state?: CaseState; limit?: number }): CaseView[] => this.queries.listCases(filter);
  getCase = (idOrNumber: string, opts?: { unmasked?: boolean }): CaseView => toCaseView(this.transitions.requireCase(idOrNumber), opts?.unmasked === true);
  audit = (filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[] => this.queries.audit(filter);
  compartments = (): CompartmentSnapshot[] => this.queries.compartments();

  recordAudit = (actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>): void =>
    this.ledger.commit((tx) => tx.audit(actor, action, outcome, fields));
}
