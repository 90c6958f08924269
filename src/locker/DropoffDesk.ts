/**
 * A resident's drop-off: check the form and the QR token, hash the PIN, then
 * in one transaction create the case, claim the token and reserve the first
 * free compartment; unlock it (with lock-fault fallback) and rotate the QR.
 */
import { randomUUID } from "node:crypto";
import type { LockerConfig } from "../config/LockerConfig.js";
import { maskPhone } from "../rules/phone.js";
import { noFree, type CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorOpener } from "./DoorOpener.js";
import type { Actor, DoorOpened, DropoffRequest } from "./LockerApi.js";
import type { FormSessions } from "./FormSessions.js";
import type { QrLink } from "./QrLink.js";
import { assertPinAcceptable, hashPin } from "./pins.js";
import { validateDropoff } from "./validate.js";
import type { PinPepper } from "../store/PinPepper.js";

export class DropoffDesk {
  constructor(
    private readonly t: CaseTransitions,
    private readonly outcomes: CaseOutcomes,
    private readonly opener: DoorOpener,
    private readonly qr: QrLink,
    private readonly config: LockerConfig,
    private readonly sessions: FormSessions,
    private readonly pepper?: PinPepper,
  ) {}

  async startDropoff(req: DropoffRequest, actor: Actor): Promise<DoorOpened & { caseId: string; caseNumber: string }> {
    validateDropoff(req, this.config);
    assertPinAcceptable(req.pin, req.phone);
    // A form session already claimed its token when the page opened; otherwise the token is claimed with the case.
    const token = req.session === undefined ? this.qr.verify(req.token!, req.scancodeTime) : undefined;
    if (req.session !== undefined) this.sessions.requireLive(req.session);
    this.t.requireOnline();
    const pinHash = await hashPin(req.pin, this.config.pins.scryptCost, this.pepper);
    const caseId = randomUUID();
    const created = this.t.ledger.commit((tx) => {
      const n = this.t.pickFree();
      if (n === undefined) {
        this.outcomes.noFreeCompartment(tx, actor, "drop-off");
        return undefined;
      }
      const now = tx.nowIso;
      const number = tx.cases.nextNumber();
      tx.cases.insert({
        id: caseId,
        number,
        state: "dropoff_pending",
        matter: req.matter,
        phone: req.phone,
        phoneMasked: maskPhone(req.phone),
        name: req.name ?? null,
        note: req.note ?? null,
        pinHash,
        compartment: n,
        pendingOp: "dropoff",
        pendingPhase: "reserved",
        createdAt: now,
        updatedAt: now,
      });
      if (token) this.qr.tokens.claim(token, caseId);
      this.t.moveCompartment(tx, n, "reserve", caseId);
      tx.audit(actor, "dropoff-start", "ok", { caseId, compartment: n, detail: { matter: req.matter, phone: maskPhone(req.phone), number } });
      tx.caseChanged({ id: caseId, number }, "dropoff_pending");
      return tx.cases.get(caseId)!;
    });
    if (token) this.t.safely("qr rotation", () => this.qr.rotate());
    if (!created) throw noFree();
    if (req.session !== undefined) this.sessions.end(req.session);
    const opened = await this.opener.unlockWithFallback(created, "dropoff", actor);
    return { caseId: created.id, caseNumber: created.number, compartment: opened };
  }
}
