/**
 * The locker core behind `LockerApi`: a thin facade over the desks that
 * `wireLockerDesks` builds (drop-off, pickup, staff, the QR link, the sweeper
 * and the door rules over one `CaseTransitions` seam), and runs their timers.
 * Construction does no I/O; `openLockerService` (the factory the composition
 * root calls) loads the device secret and registers the compartments first.
 */
import type { DoorChangedEvent, ItemChangedEvent } from "../board/DoorHardware.js";
import type { Actor, AuditEntry, CaseView, DoorOpened, DropoffRequest, FormSessionView, LockerApi, Presence } from "./LockerApi.js";
import type { DropoffLink } from "./QrLink.js";
import { THROTTLED_AUDIT_WINDOW_MS } from "./ThrottledRefusals.js";
import type { CaseState, CompartmentSnapshot } from "./events.js";
import { reconcileOnStart } from "./reconcileOnStart.js";
import { toCaseView } from "./views.js";
import { wireLockerDesks, type LockerDesks, type LockerServiceDeps } from "./wireLockerDesks.js";

export type { LockerServiceDeps } from "./wireLockerDesks.js";

export class LockerService implements LockerApi {
  readonly ledger: LockerDesks["ledger"];
  readonly transitions: LockerDesks["transitions"];
  private readonly doors: LockerDesks["doors"];
  private readonly rules: LockerDesks["rules"];
  private readonly occupancy: LockerDesks["occupancy"];
  private readonly qr: LockerDesks["qr"];
  private readonly dropoff: LockerDesks["dropoff"];
  private readonly sessions: LockerDesks["sessions"];
  private readonly presence: LockerDesks["presence"];
  private readonly pickupDesk: LockerDesks["pickupDesk"];
  private readonly staff: LockerDesks["staff"];
  private readonly sweeper: LockerDesks["sweeper"];
  private readonly queries: LockerDesks["queries"];
  private readonly outcomes: LockerDesks["outcomes"];
  private readonly refusals: LockerDesks["refusals"];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;

  constructor(private readonly d: LockerServiceDeps) {
    const w = wireLockerDesks(d);
    this.ledger = w.ledger;
    this.transitions = w.transitions;
    this.doors = w.doors;
    this.rules = w.rules;
    this.occupancy = w.occupancy;
    this.qr = w.qr;
    this.dropoff = w.dropoff;
    this.sessions = w.sessions;
    this.presence = w.presence;
    this.pickupDesk = w.pickupDesk;
    this.staff = w.staff;
    this.sweeper = w.sweeper;
    this.queries = w.queries;
    this.outcomes = w.outcomes;
    this.refusals = w.refusals;
  }

  /** Wait for the first poll (up to `firstPollTimeoutMs`), reconcile, then start timers and follow door events. */
  async start(firstPollTimeoutMs = 5_000): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { hardware: hw, clock, log, config } = this.d;
    await hw.firstPoll(firstPollTimeoutMs).catch((err: Error) => log.warn({ err: err.message }, "board did not answer its first poll; reconciling with unknown doors"));
    const onDoor = (ev: DoorChangedEvent) => (this.doors.onDoor(ev), this.d.events.emit("compartmentsChanged", this.compartments()));
    const onOffline = (e: { reason: string }) => (this.doors.markUnseen("board offline"), this.rules.boardOffline(e.reason));
    const onBlind = (e: { compartments: number[]; gapMs: number }) => this.doors.markUnseen(`doors unread for ${(e.gapMs / 1000).toFixed(1)} s`, e.compartments);
    const onOnline = () => this.rules.boardOnline();
    const onItem = (ev: ItemChangedEvent) => (this.occupancy.itemChanged(ev), this.d.events.emit("compartmentsChanged", this.compartments()));
    hw.on("door", onDoor), hw.on("offline", onOffline), hw.on("online", onOnline), hw.on("item", onItem), hw.on("blind", onBlind);
    this.unsubscribe.push(
      () => hw.off("door", onDoor),
      () => hw.off("offline", onOffline),
      () => hw.off("online", onOnline),
      () => hw.off("item", onItem),
      () => hw.off("blind", onBlind),
    );
    reconcileOnStart(this.transitions, this.outcomes);
    // Storage takes writes again: door outcomes it refused are applied, then anything still pending is settled by the rules.
    const onStorage = () => this.transitions.safely("storage recovery", () => this.storageRecovered());
    this.d.events.on("storageRecovered", onStorage);
    this.unsubscribe.push(() => this.d.events.off("storageRecovered", onStorage));
    this.sweep();
    if (clock.wallClockTrusted()) this.qr.rotate();
    const { qrRotateMs, overdueRepeatMs } = config.rules;
    const safely = (what: string, fn: () => void) => () => this.transitions.safely(what, fn);
    // With an unsynchronised clock no token can be issued; the kiosk shows why (Locker_ClockUnsynced).
    this.timers.push(setInterval(() => clock.wallClockTrusted() && safely("qr rotation", () => this.qr.rotate())(), qrRotateMs));
    this.timers.push(
      setInterval(
        safely("sweep", () => this.sweep()),
        Math.min(60_000, overdueRepeatMs),
      ),
    );
    this.timers.push(
      setInterval(
        safely("throttled-refusal audit", () => this.refusals.flushExpired()),
        THROTTLED_AUDIT_WINDOW_MS / 4,
      ),
    );
  }

  /** Stop timers and stop following the hardware. Pending door cycles are settled at the next start. */
  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.transitions.safely("throttled-refusal audit", () => this.refusals.flushAll());
    for (const u of this.unsubscribe.splice(0)) u();
    this.doors.stop();
    this.ledger.storage.stop();
    this.started = false;
  }

  /** After a storage failure: re-apply the door outcomes the disk refused, then settle cycles left pending (RECONCILIATION.md). */
  private storageRecovered(): void {
    const retried = this.transitions.retryStalled();
    reconcileOnStart(this.transitions, this.outcomes, "storage");
    this.d.log.info({ retried }, "storage takes writes again: stalled door cycles applied and reconciled");
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
