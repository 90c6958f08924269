/**
 * The operations the edges (HTTP, MQTT commands, admin socket / lockerctl)
 * may call on the locker core. Implemented by `LockerService` in this folder.
 * Every method validates its input and throws `LockerError` (Locker_* codes)
 * with a message a person can act on; every door opening is audited.
 */
import type { CaseState, CompartmentSnapshot } from "./events.js";

/** Who asked. Recorded in the audit trail with every action. */
export interface Actor {
  kind: "resident" | "staff" | "technician" | "remote" | "system";
  /** Staff code id, command id, kiosk id, "lockerctl", ... */
  id: string;
  /** Staff member's name for the audit trail. */
  name?: string;
  /** Which door into the system: kiosk, web, miniprogram, staff-page, admin, mqtt. */
  via: string;
  /** Client address (HTTP) for throttling per client / kiosk. */
  client?: string;
  /**
   * True when the request came from the locker's own screen (a direct local
   * connection, set by the HTTP edge): its PIN checks go ahead of every
   * network client's (PinHasher's budget).
   */
  screen?: boolean;
}

export interface DropoffRequest {
  /** The token from `/d/<token>`, or the whole scanned link (mini-program `q`); or else `session`. */
  token?: string;
  /** A form session opened with the scanned link (`openFormSession`): the page's way, claimed already. */
  session?: string;
  /** Mini program: when WeChat scanned it, unix seconds. */
  scancodeTime?: number;
  matter: string;
  /** Mainland mobile, 11 digits. */
  phone: string;
  name?: string;
  note?: string;
  pin: string;
  consent: boolean;
}

export interface CaseView {
  id: string;
  number: string;
  state: CaseState;
  matter: string;
  /** Masked unless the caller is staff. */
  phone: string;
  name?: string;
  note?: string;
  compartment?: number;
  createdAt: string;
  updatedAt: string;
  readyAt?: string;
  closedAt?: string;
  failedPinAttempts: number;
  overdue: boolean;
}

export interface AuditEntry {
  seq: number;
  time: string;
  actorKind: Actor["kind"];
  actorId: string;
  actorName?: string;
  via: string;
  action: string;
  caseId?: string;
  compartment?: number;
  outcome: "ok" | "refused" | "failed";
  reason?: string;
  detail?: Record<string, unknown>;
}

/**
 * Proof that a pickup is asked for at the locker. Phone + PIN alone, from
 * anywhere else, never open a door.
 */
export type Presence =
  /** The kiosk keypad, on the kiosk's own listener (only that edge may say so). */
  | { kind: "kiosk" }
  /** The phone page: a form session opened with the kiosk's QR within `rules.presenceMs`. */
  | { kind: "session"; session: string }
  /** A back office: the kiosk link the resident just scanned (`q`), minted within `rules.presenceMs`. */
  | { kind: "link"; link: string; scancodeTime?: number };

/** A resident's form session: how long the form and the proof of presence still last, ms. */
export interface FormSessionView {
  session: string;
  remainingMs: number;
  presenceRemainingMs: number;
}

export interface DoorOpened {
  caseId?: string;
  caseNumber?: string;
  compartment: number;
}

export interface LockerApi {
  /** The current kiosk QR link (rotated by the service). */
  currentDropoffLink(): { url: string; token: string; expiresAtWallMs: number };
  /** Validate a token without using it (to render the drop-off page or a friendly "scan again"). */
  checkDropoffToken(token: string): { ok: true; expiresAtWallMs: number } | { ok: false; code: number; message: string };
  /** Claim the token, create the case, allocate and unlock; resolves once the door is unlocked. */
  startDropoff(req: DropoffRequest, actor: Actor): Promise<DoorOpened & { caseId: string; caseNumber: string }>;
  /** Claim the scanned link (token or `q`) for a form session (the kiosk QR rotates); Locker_Token* when it cannot be used. */
  openFormSession(link: string, actor: Actor, scancodeTime?: number): FormSessionView;
  /** A session's time left; Locker_FormSessionExpired once it lapsed. */
  formSession(id: string): FormSessionView;
  /**
   * Resident pickup with phone + PIN at the locker; opens every ready case of
   * that phone whose PIN matches. Without a valid `presence` (a `kiosk`
   * actor counts as the kiosk's) it is refused with Locker_PresenceRequired
   * before any PIN check, and costs no attempt.
   */
  pickup(phone: string, pin: string, actor: Actor, presence?: Presence): Promise<DoorOpened[]>;
  /** Case status for the resident's phone page (no personal data beyond the masked phone). */
  caseStatus(caseId: string): CaseView;

  staffCollect(caseId: string, actor: Actor): Promise<DoorOpened>;
  staffReturn(caseId: string, actor: Actor): Promise<DoorOpened>;
  staffOpen(compartment: number, reason: string, actor: Actor): Promise<DoorOpened>;
  disable(compartment: number, reason: string, actor: Actor): void;
  enable(compartment: number, actor: Actor): void;
  resetPin(caseId: string, newPin: string, actor: Actor): void;

  listCases(filter: { state?: CaseState; limit?: number }): CaseView[];
  getCase(idOrNumber: string, opts?: { unmasked?: boolean }): CaseView;
  audit(filter: { sinceSeq?: number; sinceTime?: string; limit?: number; caseId?: string }): AuditEntry[];
  compartments(): CompartmentSnapshot[];
  /** Record an action decided at an edge (e.g. a refused MQTT command) in the audit trail. */
  recordAudit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: Partial<Pick<AuditEntry, "caseId" | "compartment" | "reason" | "detail">>): void;
}
