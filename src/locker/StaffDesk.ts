/**
 * What staff and the technician do at the locker: take a pouch out, put the
 * result back, open a door with a reason, take a compartment out of use and
 * back, reset a frozen case's PIN, and admit a `selftest --cycle`.
 */
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import { nextCaseState } from "./caseMachine.js";
import { noFree, type CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorOpener } from "./DoorOpener.js";
import type { Actor, DoorOpened } from "./LockerApi.js";
import { assertPinAcceptable, hashPinSync } from "./pins.js";
import { requireCompartmentNumber, validateReason } from "./validate.js";
import type { PinPepper } from "../store/PinPepper.js";

export class StaffDesk {
  constructor(
    private readonly t: CaseTransitions,
    private readonly outcomes: CaseOutcomes,
    private readonly opener: DoorOpener,
    private readonly pepper?: PinPepper,
  ) {}

  async staffCollect(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.t.requireCase(caseId);
    if (c.state !== "dropped_off" && c.state !== "ready" && c.state !== "frozen") nextCaseState(c.state, "staffCollected");
    return this.opener.openHeld(c, "staff-collect", actor);
  }

  async staffReturn(caseId: string, actor: Actor): Promise<DoorOpened> {
    const c = this.t.requireCase(caseId);
    this.t.requireOnline();
    const reserved = this.t.ledger.commit((tx) => {
      const n = this.t.pickFree();
      if (n === undefined) {
        this.outcomes.noFreeCompartment(tx, actor, "return", c.id);
        return undefined;
      }
      this.t.moveCase(tx, c, "returnStarted", { compartment: n, pendingOp: "staff-return", pendingPhase: "reserved" }, actor);
      this.t.moveCompartment(tx, n, "reserve", c.id);
      return tx.cases.get(c.id)!;
    });
    if (!reserved) throw noFree();
    const n = await this.opener.unlockWithFallback(reserved, "staff-return", actor);
    return { caseId: c.id, caseNumber: c.number, compartment: n };
  }

  async staffOpen(compartment: number, reason: string, actor: Actor): Promise<DoorOpened> {
    const { config, hardware, ledger } = this.t;
    requireCompartmentNumber(compartment, config);
    validateReason(reason);
    const comp = ledger.compartments.get(compartment)!;
    this.t.requireOnline();
    const release = this.t.claimDoor(compartment);
    const c = comp.caseId ? ledger.cases.get(comp.caseId) : undefined;
    const ofCase = c ? { caseId: c.id, caseNumber: c.number } : {};
    try {
      const r = await hardware.unlock(compartment, `staff-open: ${reason}`);
      ledger.commit((tx) => tx.audit(actor, "staff-open", "ok", { compartment, reason, ...(c ? { caseId: c.id } : {}), detail: { pulses: r.pulses } }));
      this.t.prompt({ compartment, purpose: "staff-open", phase: "open", ...(c ? { caseNumber: c.number } : {}) });
      this.t.follow({ compartment, purpose: "staff-open", phase: "unlocked", actor, ...ofCase });
    } catch (err) {
      ledger.commit((tx) => {
        tx.audit(actor, "staff-open", "failed", { compartment, reason, detail: { error: (err as Error).message } });
        if (isLockerError(err, ErrorCode.Board_LockFault)) this.outcomes.lockFault(tx, compartment, err.message, actor);
      });
      throw err;
    } finally {
      release();
    }
    return { compartment, ...ofCase };
  }

  disable(compartment: number, reason: string, actor: Actor): void {
    requireCompartmentNumber(compartment, this.t.config);
    validateReason(reason);
    const comp = this.t.ledger.compartments.get(compartment)!;
    if (comp.status === "disabled") return;
    if (comp.status === "reserved" || comp.status === "holding") {
      this.t.ledger.commit((tx) => tx.audit(actor, "disable", "refused", { compartment, reason, detail: { status: comp.status } }));
      throw new LockerError(`compartment ${compartment} is ${comp.status} for a case; empty it before disabling it`, ErrorCode.Locker_CompartmentUnavailable, { compartment });
    }
    this.t.ledger.commit((tx) => {
      this.t.moveCompartment(tx, compartment, "disable", null, reason);
      tx.audit(actor, "disable", "ok", { compartment, reason });
    });
  }

  enable(compartment: number, actor: Actor): void {
    requireCompartmentNumber(compartment, this.t.config);
    const comp = this.t.ledger.compartments.get(compartment)!;
    if (comp.status !== "disabled" && comp.status !== "faulty") return;
    this.t.ledger.commit((tx) => {
      this.t.moveCompartment(tx, compartment, comp.status === "faulty" ? "repair" : "enable", null);
      tx.audit(actor, "enable", "ok", { compartment, detail: { was: comp.status } });
    });
  }

  resetPin(caseId: string, newPin: string, actor: Actor): void {
    const c = this.t.requireCase(caseId);
    if (c.state !== "frozen" && c.state !== "ready") {
      throw new LockerError(`case ${c.number} is ${c.state}; a PIN can be reset only for a ready or frozen case`, ErrorCode.Locker_IllegalTransition, { caseId: c.id });
    }
    assertPinAcceptable(newPin, c.phone ?? undefined);
    const pinHash = hashPinSync(newPin, this.t.config.pins.scryptCost, this.pepper);
    this.t.ledger.commit((tx) => {
      if (c.state === "frozen") this.t.moveCase(tx, c, "pinReset", { pinHash, failedPins: 0 }, actor);
      else this.t.touchCase(tx, c.id, { pinHash, failedPins: 0 });
      tx.audit(actor, "pin-reset", "ok", { caseId: c.id, compartment: c.compartment ?? undefined });
    });
  }

  /**
   * Before `selftest --cycle` unlocks every door in turn: refuse while any
   * compartment holds or awaits a pouch or a door is in use (that would open
   * residents' documents to whoever stands there); audit the run either way.
   */
  admitSelftestCycle(actor: Actor): void {
    const held = (n: number) => ["reserved", "holding"].includes(this.t.ledger.compartments.get(n)?.status ?? "free");
    const inUse = this.t.config.compartments.map((c) => c.number).filter((n) => held(n) || this.t.doorInUse(n));
    if (inUse.length > 0) {
      this.t.ledger.commit((tx) => tx.audit(actor, "selftest-cycle", "refused", { reason: `door(s) ${inUse.join(", ")} hold or await a pouch or are in use` }));
      throw new LockerError(
        `selftest --cycle would open door(s) ${inUse.join(", ")}, which hold or await a pouch or are in use; run it when every compartment is free (or use 'lockerctl open <n> --reason ...' for one door)`,
        ErrorCode.Locker_CompartmentUnavailable,
        { compartments: inUse },
      );
    }
    this.t.ledger.commit((tx) => tx.audit(actor, "selftest-cycle", "ok", { reason: "unlock every compartment in turn" }));
  }
}
