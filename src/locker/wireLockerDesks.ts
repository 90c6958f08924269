/**
 * The object graph behind `LockerService`: the ledger, the door cycles and
 * rules, and the desks (drop-off, pickup, staff), the QR link and the sweeper
 * over one `CaseTransitions` seam. Construction does no I/O.
 */
import { createHmac } from "node:crypto";
import type { DoorHardware } from "../board/DoorHardware.js";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { PinPepper } from "../store/PinPepper.js";
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
import { DropoffDesk } from "./DropoffDesk.js";
import { FormSessions } from "./FormSessions.js";
import { Ledger } from "./Ledger.js";
import type { Actor, AuditEntry } from "./LockerApi.js";
import { LockerQueries } from "./LockerQueries.js";
import { OccupancyRules } from "./OccupancyRules.js";
import { PickupDesk } from "./PickupDesk.js";
import { PinThrottle } from "./PinThrottle.js";
import { PresenceGate } from "./PresenceGate.js";
import { QrLink } from "./QrLink.js";
import { QrTokens } from "./QrTokens.js";
import { StaffDesk } from "./StaffDesk.js";
import { Sweeper } from "./Sweeper.js";
import { ThrottledRefusals } from "./ThrottledRefusals.js";
import type { DomainEvents } from "./events.js";

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

export interface LockerDesks {
  ledger: Ledger;
  transitions: CaseTransitions;
  doors: DoorCycles;
  rules: DoorRules;
  occupancy: OccupancyRules;
  qr: QrLink;
  dropoff: DropoffDesk;
  sessions: FormSessions;
  presence: PresenceGate;
  pickupDesk: PickupDesk;
  staff: StaffDesk;
  sweeper: Sweeper;
  queries: LockerQueries;
  outcomes: CaseOutcomes;
  refusals: ThrottledRefusals;
}

/** Build the desks over one ledger and one `CaseTransitions`. */
export function wireLockerDesks(d: LockerServiceDeps): LockerDesks {
  const { db, config, clock, events, hardware, secret } = d;
  const recordAudit = (actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>): void =>
    ledger.commit((tx) => tx.audit(actor, action, outcome, fields));
  const ledger: Ledger = new Ledger(db, events, clock, config.lockerId, () => queries.compartments(), config.helpPhone);
  const queries = new LockerQueries(ledger, config, hardware);
  // The rules are built after the cycles that call them; the handlers only run once a door moves.
  const doors = new DoorCycles(config.rules, {
    opened: (w) => rules.opened(w),
    closed: (w) => rules.closed(w),
    neverOpened: (w) => rules.neverOpened(w),
    leftOpen: (n, ms, w) => rules.leftOpen(n, ms, w),
    unexpectedOpen: (ev) => rules.unexpectedOpen(ev),
    unexpectedClose: (ev) => rules.unexpectedClose(ev),
  });
  const t = new CaseTransitions({ ledger, doors, hardware, config, events, log: d.log, clock });
  const outcomes = new CaseOutcomes(t);
  const occupancy = new OccupancyRules(t, outcomes);
  const rules: DoorRules = new DoorRules(t, outcomes, occupancy);
  const opener = new DoorOpener(t, outcomes);
  const qr = new QrLink(new QrTokens(new QrTokenRepo(db), secret, config.lockerId, clock, config.rules.tokenTtlMs), config, clock, events);
  const throttle = new PinThrottle(new PinThrottleRepo(db), config.pins, clock, (phone) => createHmac("sha256", secret).update(`phone:${phone}`).digest("hex"));
  const refusals = new ThrottledRefusals(clock, {
    first: (actor, detail) => recordAudit(actor, "pickup", "refused", { reason: "throttled", detail }),
    summaries: (rows) => ledger.commit((tx) => rows.forEach((r) => tx.audit(r.actor, "pickup", "refused", { reason: "throttled (aggregated)", detail: { ...r.detail } }))),
  });
  const sessions = new FormSessions(qr, config, clock, (fn) => ledger.commit(() => fn()));
  const presence = new PresenceGate(
    sessions,
    qr,
    clock,
    (actor, reason, detail) => recordAudit(actor, "pickup", "refused", { reason, detail }),
    (err) => d.log.warn({ err }, "presence token was used meanwhile"),
  );
  const dropoff = new DropoffDesk(t, outcomes, opener, qr, config, sessions, d.pepper);
  const pickupDesk = new PickupDesk(t, opener, throttle, config.pins, refusals, d.pepper);
  const staff = new StaffDesk(t, outcomes, opener, d.pepper);
  const sweeper = new Sweeper(t, throttle);
  return { ledger, transitions: t, doors, rules, occupancy, qr, dropoff, sessions, presence, pickupDesk, staff, sweeper, queries, outcomes, refusals };
}
