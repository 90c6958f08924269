/**
 * Unlocking a case's compartment and handing its door to `DoorCycles`: the
 * drop-off/return unlock with lock-fault fallback to the next free
 * compartment, and the opening of a held compartment for a pickup or a staff
 * collect. "Outcome unknown" (no reply, bus closed mid-exchange) is followed
 * like a release: the open timer undoes it if the door never opens.
 */
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { Case, PendingOp } from "./Case.js";
import { noFree, type CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { Actor, DoorOpened } from "./LockerApi.js";

export class DoorOpener {
  constructor(
    private readonly t: CaseTransitions,
    private readonly outcomes: CaseOutcomes,
  ) {}

  /** Unlock the reserved compartment of `c`; on a lock fault mark it faulty and move the case to the next free one. Resolves to the compartment unlocked. */
  async unlockWithFallback(c: Case, op: "dropoff" | "staff-return", actor: Actor): Promise<number> {
    let n = c.compartment!;
    for (;;) {
      // Reserved is not enough: a staff open of this door must not slip in while its unlock is on the wire.
      const release = this.t.claimDoor(n);
      try {
        const r = await this.t.hardware.unlock(n, `${op} case ${c.number}`);
        this.afterUnlock(c, n, op, actor, r.pulses);
        release();
        return n;
      } catch (err) {
        release();
        if (!isLockerError(err, ErrorCode.Board_LockFault)) {
          this.unlockFailed(c, n, op, actor, err);
          throw err;
        }
        const next = this.t.ledger.commit((tx) => {
          this.outcomes.lockFault(tx, n, err.message, actor, c);
          const m = this.t.pickFree();
          if (m === undefined) {
            this.outcomes.noFreeCompartment(tx, actor, op, c.id);
            this.outcomes.abortReserved(tx, c, n, op, actor, "no compartment whose lock opens");
            return undefined;
          }
          this.t.moveCompartment(tx, m, "reserve", c.id);
          this.t.touchCase(tx, c.id, { compartment: m });
          tx.audit(actor, `${op}-reallocate`, "ok", { caseId: c.id, compartment: m, detail: { from: n } });
          return m;
        });
        this.t.prompt({ compartment: n, purpose: op, caseNumber: c.number, phase: "fault" });
        if (next === undefined) throw noFree();
        n = next;
      }
    }
  }

  /** Open the compartment that holds case `c` for a staff collect or a pickup; follow its door. */
  async openHeld(c: Case, op: "staff-collect" | "pickup", actor: Actor): Promise<DoorOpened> {
    const n = c.compartment;
    if (n === null || c.closedAt !== null) throw new LockerError(`case ${c.number} is not in a compartment`, ErrorCode.Locker_IllegalTransition, { caseId: c.id });
    this.t.requireOnline();
    const release = this.t.claimDoor(n);
    try {
      this.t.ledger.commit((tx) => {
        if (op === "pickup") this.t.moveCase(tx, c, "pickupStarted", { pendingOp: op, pendingPhase: "reserved" }, actor);
        else this.t.touchCase(tx, c.id, { pendingOp: op, pendingPhase: "reserved" });
      });
    } catch (err) {
      // The case moved on while the caller awaited (e.g. frozen during the PIN hash): nothing was sent, so the door is free again.
      release();
      throw err;
    }
    try {
      const r = await this.t.hardware.unlock(n, `${op} case ${c.number}`);
      this.afterUnlock(c, n, op, actor, r.pulses);
      return { caseId: c.id, caseNumber: c.number, compartment: n };
    } catch (err) {
      this.t.ledger.commit((tx) => {
        tx.audit(actor, `${op}-unlock`, "failed", { caseId: c.id, compartment: n, detail: { error: (err as Error).message } });
        if (isLockerError(err, ErrorCode.Board_LockFault)) this.outcomes.lockFault(tx, n, err.message, actor, c);
        if (op === "pickup") this.t.moveCase(tx, c, "pickupAborted", { pendingOp: null, pendingPhase: null }, actor);
        else this.t.touchCase(tx, c.id, { pendingOp: null, pendingPhase: null });
      });
      this.t.prompt({ compartment: n, purpose: op, caseNumber: c.number, phase: "fault" });
      throw err;
    } finally {
      release();
    }
  }

  /** The lock released: record it, tell the kiosk, and follow the door. */
  private afterUnlock(c: Case, n: number, op: PendingOp, actor: Actor, pulses: number): void {
    // The latch has let go: the door is followed even when the disk refuses to record the phase (the
    // cycle's outcome is then applied once storage recovers, see CaseTransitions.safelyOrLater).
    this.t.safelyOrLater(`${op} unlock`, n, () =>
      this.t.ledger.commit((tx) => {
        this.t.touchCase(tx, c.id, { pendingPhase: "unlocked" });
        tx.audit(actor, `${op}-unlock`, "ok", { caseId: c.id, compartment: n, detail: { pulses } });
      }),
    );
    this.t.prompt({ compartment: n, purpose: op, caseNumber: c.number, phase: "open" });
    // The polled state, not the unlock result: a released latch is not yet a door seen open.
    this.t.follow({ compartment: n, purpose: op, caseId: c.id, caseNumber: c.number, phase: "unlocked", actor });
  }

  private unlockFailed(c: Case, n: number, op: "dropoff" | "staff-return", actor: Actor, err: unknown): void {
    // A bus that closed mid-exchange may have carried the pulse out before it went: as unknown as a lost reply.
    if (isLockerError(err, ErrorCode.Board_NoReply) || isLockerError(err, ErrorCode.Board_TransportClosed)) {
      // Outcome unknown: the lock may have released. Follow the door; if it never opens the timer undoes the reservation.
      this.t.ledger.commit((tx) => {
        tx.audit(actor, `${op}-unlock`, "failed", { caseId: c.id, compartment: n, detail: { error: (err as Error).message, outcome: "unknown" } });
        tx.cases.update(c.id, { pendingPhase: "unlocked" });
      });
      // A closed bus left us blind from the pulse on: the door may open and close before we see it again.
      const unseen = isLockerError(err, ErrorCode.Board_TransportClosed) ? "the bus closed during the unlock" : !this.t.hardware.online ? "board offline" : undefined;
      this.t.follow({ compartment: n, purpose: op, caseId: c.id, caseNumber: c.number, phase: "unlocked", actor, ...(unseen ? { unseen } : {}) });
      return;
    }
    this.t.ledger.commit((tx) => this.outcomes.abortReserved(tx, c, n, op, actor, (err as Error).message));
  }
}
