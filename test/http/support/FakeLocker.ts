/**
 * A small in-memory LockerApi double for HTTP route and page tests: tokens,
 * cases, PIN checks with a lockout, and door prompts on the DomainEvents bus.
 * `closeDoor(n)` plays the resident closing the door.
 */
import { ErrorCode, LockerError } from "../../../src/errors/LockerError.js";
import type { Actor, AuditEntry, CaseView, DoorOpened, DropoffRequest, FormSessionView, LockerApi } from "../../../src/locker/LockerApi.js";
import type { CaseState, CompartmentSnapshot, DomainEvents, DoorPrompt } from "../../../src/locker/events.js";
import { maskPhone } from "../../../src/rules/phone.js";

interface FakeCase extends CaseView {
  fullPhone: string;
  pin: string;
}

export class FakeLocker implements LockerApi {
  readonly audits: Array<{ actor: Actor; action: string; outcome: string; fields?: unknown }> = [];
  readonly cases = new Map<string, FakeCase>();
  readonly comps: CompartmentSnapshot[];
  private tokenSeq = 0;
  private token = "";
  private used = new Set<string>();
  private failures = new Map<string, number>();
  private open = new Map<number, DoorPrompt>();

  constructor(
    private readonly events: DomainEvents,
    private readonly baseUrl = "http://127.0.0.1:8080",
    rows = 2,
    columns = 3,
  ) {
    this.comps = [];
    for (let r = 1; r <= rows; r++)
      for (let c = 1; c <= columns; c++) this.comps.push({ number: (r - 1) * columns + c, size: "M", row: r, column: c, status: "free", door: "closed" });
    this.rotate();
  }

  rotate(): void {
    this.token = `tok${String(++this.tokenSeq).padStart(6, "0")}abcdef`;
    this.events.emit("qrRotated", { url: `${this.baseUrl}/d/${this.token}`, expiresAtWallMs: Date.now() + 120_000 });
  }

  currentDropoffLink() {
    return { url: `${this.baseUrl}/d/${this.token}`, token: this.token, expiresAtWallMs: Date.now() + 120_000 };
  }

  checkDropoffToken(token: string) {
    if (this.used.has(token)) return { ok: false as const, code: ErrorCode.Locker_TokenUsed, message: "used" };
    if (token === "expired-token-123") return { ok: false as const, code: ErrorCode.Locker_TokenExpired, message: "expired" };
    if (token !== this.token) return { ok: false as const, code: ErrorCode.Locker_TokenInvalid, message: "invalid" };
    return { ok: true as const, expiresAtWallMs: Date.now() + 120_000 };
  }

  /** Form sessions: id → monotonic-free expiry (Date.now based; the fake needs no clock). */
  readonly sessions = new Map<string, number>();
  private sessionSeq = 0;

  openFormSession(link: string, _actor: Actor): FormSessionView {
    const token = link.includes("/d/") ? link.split("/d/")[1]! : link;
    const check = this.checkDropoffToken(token);
    if (!check.ok) throw new LockerError(check.message, check.code as ErrorCode);
    this.used.add(token);
    this.rotate();
    const id = `session-${String(++this.sessionSeq).padStart(12, "0")}`;
    this.sessions.set(id, Date.now() + 15 * 60_000);
    return this.formSession(id);
  }

  formSession(id: string): FormSessionView {
    const until = this.sessions.get(id);
    if (until === undefined || until < Date.now()) throw new LockerError("lapsed", ErrorCode.Locker_FormSessionExpired);
    return { session: id, remainingMs: until - Date.now(), presenceRemainingMs: 300_000 };
  }

  async startDropoff(req: DropoffRequest, actor: Actor) {
    const token = req.session !== undefined ? "" : req.token!.includes("/d/") ? req.token!.split("/d/")[1]! : req.token!;
    if (req.session !== undefined) this.formSession(req.session);
    const check = req.session !== undefined ? { ok: true as const } : this.checkDropoffToken(token);
    if (!check.ok) throw new LockerError(check.message, check.code as ErrorCode);
    if (["000000", "123456", req.phone.slice(5)].includes(req.pin)) throw new LockerError("weak", ErrorCode.Locker_WeakPin, { field: "pin" });
    const comp = this.comps.find((c) => c.status === "free");
    if (!comp) throw new LockerError("full", ErrorCode.Locker_NoFreeCompartment);
    this.used.add(token);
    this.rotate();
    const n = this.cases.size + 1;
    const now = new Date().toISOString();
    const c: FakeCase = {
      id: `case${n}`,
      number: `A${n}`,
      state: "dropoff_pending",
      matter: req.matter,
      phone: maskPhone(req.phone),
      fullPhone: req.phone,
      pin: req.pin,
      compartment: comp.number,
      createdAt: now,
      updatedAt: now,
      failedPinAttempts: 0,
      overdue: false,
    };
    this.cases.set(c.id, c);
    comp.status = "reserved";
    comp.caseNumber = c.number;
    this.audit(actor, "dropoff", "ok");
    this.prompt({ compartment: comp.number, purpose: "dropoff", caseNumber: c.number, phase: "open" });
    return { caseId: c.id, caseNumber: c.number, compartment: comp.number };
  }

  /** Put a case straight into a state (test setup). */
  seedCase(phone: string, pin: string, state: CaseState, compartment: number): FakeCase {
    const n = this.cases.size + 1;
    const now = new Date().toISOString();
    const c: FakeCase = {
      id: `case${n}`,
      number: `A${n}`,
      state,
      matter: "other",
      phone: maskPhone(phone),
      fullPhone: phone,
      pin,
      compartment,
      createdAt: now,
      updatedAt: now,
      failedPinAttempts: 0,
      overdue: false,
    };
    this.cases.set(c.id, c);
    const comp = this.comps.find((x) => x.number === compartment)!;
    comp.status = "holding";
    comp.caseNumber = c.number;
    return c;
  }

  /** When set, pickups wait for it (to see the kiosk's "opening…" screen). */
  pickupGate: Promise<void> | undefined;

  async pickup(phone: string, pin: string, actor: Actor): Promise<DoorOpened[]> {
    if (this.pickupGate) await this.pickupGate;
    const f = this.failures.get(phone) ?? 0;
    if (f >= 3) {
      this.audit(actor, "pickup", "refused");
      throw new LockerError("wait", ErrorCode.Locker_Throttled, { retryAfterS: 60 * 2 ** (f - 3) });
    }
    const hits = [...this.cases.values()].filter((c) => c.state === "ready" && c.fullPhone === phone && c.pin === pin);
    if (hits.length === 0) {
      this.failures.set(phone, f + 1);
      this.audit(actor, "pickup", "refused");
      // Like the core: the refusal that starts a lockout says how long it lasts.
      throw new LockerError("refused", ErrorCode.Locker_PickupRefused, f + 1 >= 3 ? { retryAfterS: 60 } : {});
    }
    this.failures.delete(phone);
    return hits.map((c) => {
      c.state = "collecting";
      this.audit(actor, "pickup", "ok");
      this.prompt({ compartment: c.compartment!, purpose: "pickup", caseNumber: c.number, phase: "open" });
      return { caseId: c.id, caseNumber: c.number, compartment: c.compartment! };
    });
  }

  /** The resident (or staff) closes door n: the case moves on, prompts say so. */
  closeDoor(n: number): void {
    const p = this.open.get(n);
    this.open.delete(n);
    const c = [...this.cases.values()].find((x) => x.compartment === n && ["dropoff_pending", "collecting", "with_staff_pending", "return_pending"].includes(x.state));
    const comp = this.comps.find((x) => x.number === n)!;
    if (c) {
      c.state = c.state === "dropoff_pending" ? "dropped_off" : c.state === "collecting" ? "collected" : c.state === "return_pending" ? "ready" : c.state;
      c.updatedAt = new Date().toISOString();
      comp.status = c.state === "collected" ? "free" : "holding";
      this.events.emit("caseChanged", { caseId: c.id, caseNumber: c.number, state: c.state });
    }
    comp.door = "closed";
    this.events.emit("compartmentsChanged", this.compartments());
    if (p) this.events.emit("doorPrompt", { ...p, phase: "closed" });
  }

  caseStatus(caseId: string): CaseView {
    const c = this.cases.get(caseId);
    if (!c) throw new LockerError("no case", ErrorCode.Locker_CaseNotFound);
    return { ...c };
  }

  async staffCollect(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.caseStatus(caseId);
    if (c.state !== "dropped_off") throw new LockerError("not dropped off", ErrorCode.Locker_IllegalTransition);
    this.cases.get(caseId)!.state = "with_staff";
    this.audit(actor, "staff-collect", "ok");
    this.prompt({ compartment: c.compartment!, purpose: "staff-collect", caseNumber: c.number, phase: "open" });
    return { caseId, caseNumber: c.number, compartment: c.compartment! };
  }
  async staffReturn(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.cases.get(caseId);
    if (!c) throw new LockerError("no case", ErrorCode.Locker_CaseNotFound);
    if (c.state !== "with_staff") throw new LockerError("not with staff", ErrorCode.Locker_IllegalTransition);
    const comp = this.comps.find((x) => x.status === "free")!;
    c.state = "return_pending";
    c.compartment = comp.number;
    this.audit(actor, "staff-return", "ok");
    this.prompt({ compartment: comp.number, purpose: "staff-return", caseNumber: c.number, phase: "open" });
    return { caseId, caseNumber: c.number, compartment: comp.number };
  }
  async staffOpen(compartment: number, reason: string, actor: Actor): Promise<DoorOpened> {
    if (!this.comps.some((c) => c.number === compartment)) throw new LockerError("no such", ErrorCode.Locker_CompartmentNotFound);
    this.audit(actor, "staff-open", "ok", { reason });
    this.prompt({ compartment, purpose: "staff-open", phase: "open" });
    return { compartment };
  }
  disable(compartment: number, reason: string, actor: Actor): void {
    const c = this.comps.find((x) => x.number === compartment);
    if (!c) throw new LockerError("no such", ErrorCode.Locker_CompartmentNotFound);
    c.status = "disabled";
    this.audit(actor, "disable", "ok", { reason });
  }
  enable(compartment: number, actor: Actor): void {
    const c = this.comps.find((x) => x.number === compartment);
    if (!c) throw new LockerError("no such", ErrorCode.Locker_CompartmentNotFound);
    c.status = "free";
    this.audit(actor, "enable", "ok");
  }
  resetPin(caseId: string, newPin: string, actor: Actor): void {
    const c = this.cases.get(caseId);
    if (!c) throw new LockerError("no case", ErrorCode.Locker_CaseNotFound);
    c.pin = newPin;
    this.failures.delete(c.fullPhone);
    this.audit(actor, "reset-pin", "ok");
  }
  listCases(filter: { state?: CaseState; limit?: number }): CaseView[] {
    return [...this.cases.values()].filter((c) => !filter.state || c.state === filter.state).map(({ fullPhone: _p, pin: _q, ...v }) => v);
  }
  getCase(id: string): CaseView {
    return this.caseStatus(id);
  }
  audit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: unknown): void;
  audit(filter: { limit?: number }): AuditEntry[];
  audit(a: unknown, action?: string, outcome?: AuditEntry["outcome"], fields?: unknown): AuditEntry[] | void {
    if (action === undefined) {
      return this.audits.map((x, i) => ({
        seq: i + 1,
        time: new Date().toISOString(),
        actorKind: x.actor.kind,
        actorId: x.actor.id,
        ...(x.actor.name ? { actorName: x.actor.name } : {}),
        via: x.actor.via,
        action: x.action,
        outcome: x.outcome as AuditEntry["outcome"],
      }));
    }
    this.audits.push({ actor: a as Actor, action, outcome: outcome!, fields });
  }
  compartments(): CompartmentSnapshot[] {
    return this.comps.map((c) => ({ ...c }));
  }
  recordAudit(actor: Actor, action: string, outcome: AuditEntry["outcome"], fields?: unknown): void {
    this.audit(actor, action, outcome, fields);
  }

  private prompt(p: DoorPrompt): void {
    this.open.set(p.compartment, p);
    const comp = this.comps.find((x) => x.number === p.compartment)!;
    comp.door = "open";
    this.events.emit("compartmentsChanged", this.compartments());
    this.events.emit("doorPrompt", p);
  }
}
