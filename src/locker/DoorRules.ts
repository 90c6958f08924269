/**
 * What door events mean for cases, compartments and alarms: the drop-off and
 * return allocation with lock-fault fallback, the door-cycle handlers fed by
 * `DoorCycles`, and the completion/undo of each operation (also used by
 * start-up reconciliation). State lives in `LockerService`'s ledger.
 */
import type { DoorChangedEvent } from "../board/DoorHardware.js";
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { CaseRow, PendingOp } from "../store/CaseRepo.js";
import type { Actor } from "./LockerApi.js";
import type { Tx } from "./Ledger.js";
import type { DoorWatch } from "./DoorCycles.js";
import type { LockerService } from "./LockerService.js";
import { SYSTEM } from "./actors.js";

export class DoorRules {
  constructor(private readonly s: LockerService) {}

  /** Unlock the reserved compartment of `row`; on a lock fault mark it faulty and move the case to the next free one. */
  async unlockWithFallback(row: CaseRow, op: "dropoff" | "staff-return", actor: Actor): Promise<number> {
    let n = row.compartment!;
    for (;;) {
      // Reserved is not enough: a staff open of this door must not slip in while its unlock is on the wire.
      const release = this.s.claimDoor(n);
      try {
        const r = await this.s.hardware.unlock(n, `${op} case ${row.number}`);
        this.afterUnlock(row, n, op, actor, r.pulses);
        release();
        return n;
      } catch (err) {
        release();
        if (!isLockerError(err, ErrorCode.Board_LockFault)) {
          this.unlockFailed(row, n, op, actor, err);
          throw err;
        }
        const next = this.s.ledger.commit((tx) => {
          this.lockFault(tx, n, err.message, actor, row);
          const m = this.s.pickFree();
          if (m === undefined) {
            this.noFreeCompartment(tx, actor, op, row.id);
            this.abortReserved(tx, row, n, op, actor, "no compartment whose lock opens");
            return undefined;
          }
          this.s.moveCompartment(tx, m, "reserve", row.id);
          this.s.ledger.cases.update(row.id, { compartment: m, updated_at: tx.nowIso });
          tx.audit(actor, `${op}-reallocate`, "ok", { caseId: row.id, compartment: m, detail: { from: n } });
          return m;
        });
        this.s.prompt({ compartment: n, purpose: op, caseNumber: row.number, phase: "fault" });
        if (next === undefined) throw noFree();
        n = next;
      }
    }
  }

  unlockFailed(row: CaseRow, n: number, op: "dropoff" | "staff-return", actor: Actor, err: unknown): void {
    // A bus that closed mid-exchange may have carried the pulse out before it went: as unknown as a lost reply.
    if (isLockerError(err, ErrorCode.Board_NoReply) || isLockerError(err, ErrorCode.Board_TransportClosed)) {
      // Outcome unknown: the lock may have released. Follow the door; if it never opens the timer undoes the reservation.
      this.s.ledger.commit((tx) => tx.audit(actor, `${op}-unlock`, "failed", { caseId: row.id, compartment: n, detail: { error: (err as Error).message, outcome: "unknown" } }));
      this.s.ledger.cases.update(row.id, { pending_phase: "unlocked" });
      this.s.doors.follow({ compartment: n, purpose: op, caseId: row.id, caseNumber: row.number, phase: "unlocked", actor }, this.s.hardware.doorState(n));
      return;
    }
    this.s.ledger.commit((tx) => this.abortReserved(tx, row, n, op, actor, (err as Error).message));
  }

  /** Undo a reservation whose door never opened: drop-off cancelled, return back to staff; the compartment is freed. */
  abortReserved(tx: Tx, row: CaseRow, n: number, op: "dropoff" | "staff-return", actor: Actor, why: string): void {
    const comp = this.s.ledger.compartments.get(n)!;
    if (comp.status === "reserved" && comp.case_id === row.id) this.s.moveCompartment(tx, n, "release", null);
    if (op === "dropoff") {
      this.s.moveCase(tx, row, "dropoffCancelled", { pending_op: null, pending_phase: null }, actor);
      tx.event({ type: "cancelled", caseId: row.id, caseNumber: row.number, compartment: n, matter: row.matter, phone: row.phone_masked, message: why });
    } else this.s.moveCase(tx, row, "returnAborted", { pending_op: null, pending_phase: null, compartment: null }, actor);
  }

  afterUnlock(c: CaseRow, n: number, op: PendingOp, actor: Actor, pulses: number): void {
    this.s.ledger.commit((tx) => {
      this.s.ledger.cases.update(c.id, { pending_phase: "unlocked", updated_at: tx.nowIso });
      tx.audit(actor, `${op}-unlock`, "ok", { caseId: c.id, compartment: n, detail: { pulses } });
    });
    this.s.prompt({ compartment: n, purpose: op, caseNumber: c.number, phase: "open" });
    // The polled state, not the unlock result: a released latch is not yet a door seen open.
    this.s.doors.follow({ compartment: n, purpose: op, caseId: c.id, caseNumber: c.number, phase: "unlocked", actor }, this.s.hardware.doorState(n));
  }

  cycleOpened(w: DoorWatch): void {
    this.s.safely("door opened", () => {
      if (w.caseId && w.purpose !== "staff-open") this.s.ledger.cases.update(w.caseId, { pending_phase: "opened" });
      this.s.ledger.commit((tx) => tx.audit(w.actor, "door-opened", "ok", { compartment: w.compartment, ...(w.caseId ? { caseId: w.caseId } : {}), detail: { purpose: w.purpose } }));
      this.s.prompt({ compartment: w.compartment, purpose: w.purpose, ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "please-close" });
    });
  }

  /** The door of a cycle closed again: the operation counts now. */
  cycleClosed(w: DoorWatch): void {
    this.s.safely("door closed", () => {
      this.s.ledger.commit((tx) => {
        tx.audit(w.actor, "door-closed", "ok", { compartment: w.compartment, ...(w.caseId ? { caseId: w.caseId } : {}), detail: { purpose: w.purpose } });
        if (!w.caseId || w.purpose === "staff-open") return;
        const c = this.s.ledger.cases.get(w.caseId)!;
        this.completeOp(tx, c, w.purpose as PendingOp, w.actor);
      });
      this.s.prompt({ compartment: w.compartment, purpose: w.purpose, ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "closed" });
    });
  }

  /** Count a door cycle of case `c` as done (also used by reconciliation). */
  completeOp(tx: Tx, c: CaseRow, op: PendingOp, actor: Actor, detail: Record<string, unknown> = {}): void {
    const n = c.compartment!;
    const ev = { caseId: c.id, caseNumber: c.number, compartment: n, matter: c.matter, phone: c.phone_masked, ...(Object.keys(detail).length ? { detail } : {}) };
    const clear = { pending_op: null, pending_phase: null } as const;
    switch (op) {
      case "dropoff":
        this.s.moveCase(tx, c, "dropoffCompleted", clear, actor);
        this.s.moveCompartment(tx, n, "fill", c.id);
        tx.event({ type: "dropoff", ...ev });
        break;
      case "staff-collect":
        this.s.moveCase(tx, c, "staffCollected", { ...clear, compartment: null }, actor);
        this.s.moveCompartment(tx, n, "empty", null);
        break;
      case "staff-return":
        this.s.moveCase(tx, c, "returnCompleted", clear, actor);
        this.s.moveCompartment(tx, n, "fill", c.id);
        tx.event({ type: "ready", ...ev });
        break;
      case "pickup":
        this.s.moveCase(tx, c, "pickupCompleted", clear, actor);
        this.s.moveCompartment(tx, n, "empty", null);
        tx.event({ type: "collected", ...ev });
        break;
    }
  }

  /** Undo a door cycle of case `c` that never happened (also used by reconciliation). */
  abortOp(tx: Tx, c: CaseRow, op: PendingOp, actor: Actor, why: string): void {
    const n = c.compartment!;
    switch (op) {
      case "dropoff":
      case "staff-return":
        this.abortReserved(tx, c, n, op, actor, why);
        break;
      case "staff-collect":
        this.s.ledger.cases.update(c.id, { pending_op: null, pending_phase: null, updated_at: tx.nowIso });
        tx.audit(actor, "staff-collect", "failed", { caseId: c.id, compartment: n, reason: why });
        break;
      case "pickup":
        this.s.moveCase(tx, c, "pickupAborted", { pending_op: null, pending_phase: null }, actor);
        break;
    }
  }

  cycleNeverOpened(w: DoorWatch): void {
    this.s.safely("door never opened", () => {
      const why = `door ${w.compartment} was not opened within ${Math.round(this.s.config.rules.doorOpenTimeoutMs / 1000)} s`;
      if (!this.s.hardware.online && w.caseId && w.purpose !== "staff-open") return this.doorUnseen(w);
      this.s.ledger.commit((tx) => {
        tx.audit(w.actor, "door-never-opened", "failed", { compartment: w.compartment, ...(w.caseId ? { caseId: w.caseId } : {}), reason: why, detail: { purpose: w.purpose } });
        if (!w.caseId || w.purpose === "staff-open") return;
        this.abortOp(tx, this.s.ledger.cases.get(w.caseId)!, w.purpose as PendingOp, w.actor, why);
      });
      this.s.prompt({ compartment: w.compartment, purpose: w.purpose, ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "cancelled" });
    });
  }

  /**
   * The open timer ran out while the board was offline: we could not see the
   * door. Same principle as reconciliation — keep the compartment held: a
   * drop-off or return counts, a collection does not.
   */
  private doorUnseen(w: DoorWatch): void {
    const op = w.purpose as PendingOp;
    const why = `door ${w.compartment} could not be watched (board offline)`;
    this.s.ledger.commit((tx) => {
      const c = this.s.ledger.cases.get(w.caseId!)!;
      tx.audit(w.actor, "door-unseen", "failed", { compartment: w.compartment, caseId: c.id, reason: why, detail: { purpose: op } });
      if (op === "dropoff" || op === "staff-return") this.completeOp(tx, c, op, w.actor, { doorUnseen: true });
      else this.abortOp(tx, c, op, w.actor, why);
    });
    this.s.safely("door unseen", () => {
      this.s.prompt({ compartment: w.compartment, purpose: w.purpose, ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "closed" });
    });
  }

  doorLeftOpen(n: number, openForMs: number, w: DoorWatch | undefined): void {
    this.s.safely("door left open", () => {
      this.s.ledger.commit((tx) =>
        this.s.alarm(tx, "door-left-open", `door ${n} has been open for ${Math.round(openForMs / 1000)} s; please close it`, {
          compartment: n,
          ...(w?.caseId ? { caseId: w.caseId } : {}),
          ...(w?.caseNumber ? { caseNumber: w.caseNumber } : {}),
          detail: { openForMs },
        }),
      );
      this.s.prompt({ compartment: n, purpose: w?.purpose ?? "staff-open", ...(w?.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "please-close" });
    });
  }

  unexpectedOpen(ev: DoorChangedEvent): void {
    this.s.safely("door opened", () => {
      if (ev.commanded) return this.auditDoor(ev, "door-opened");
      const comp = this.s.ledger.compartments.get(ev.compartment);
      this.s.ledger.commit((tx) =>
        this.s.alarm(tx, "tamper", `door ${ev.compartment} opened without a command`, { compartment: ev.compartment, ...(comp?.case_id ? { caseId: comp.case_id } : {}), detail: { previous: ev.previous } }),
      );
    });
  }

  auditDoor(ev: DoorChangedEvent, action: string): void {
    this.s.safely(action, () => this.s.ledger.commit((tx) => tx.audit(SYSTEM, action, "ok", { compartment: ev.compartment, detail: { commanded: ev.commanded } })));
  }


  boardOffline(reason: string): void {
    this.s.safely("board offline", () => this.s.ledger.commit((tx) => this.s.alarm(tx, "board-offline", `the lock board stopped answering (${reason}); the locker is out of service`, { detail: { reason } })));
  }

  boardOnline(): void {
    this.s.safely("board online", () => this.s.ledger.commit((tx) => this.s.alarm(tx, "board-online", "the lock board answers again; the locker is back in service")));
  }

  lockFault(tx: Tx, n: number, message: string, actor: Actor, c?: CaseRow): void {
    const comp = this.s.ledger.compartments.get(n)!;
    if (comp.status === "free" || comp.status === "reserved") {
      this.s.moveCompartment(tx, n, "fault", null, `lock did not open: ${message}`);
    } else {
      // A compartment holding a pouch stays holding (the case still needs it); the fault is noted beside it.
      this.s.ledger.compartments.set(n, comp.status, comp.case_id, `lock did not open: ${message}`, tx.nowIso);
      tx.compartmentsChanged();
    }
    this.s.alarm(tx, "lock-fault", `the lock of door ${n} did not open; a technician should check it`, { compartment: n, ...(c ? { caseId: c.id, caseNumber: c.number } : {}), detail: { error: message } }, actor);
  }

  noFreeCompartment(tx: Tx, actor: Actor, op: string, caseId?: string): void {
    tx.audit(actor, op, "refused", { reason: "no free compartment", ...(caseId ? { caseId } : {}) });
    this.s.alarm(tx, "no-free-compartment", `a ${op} was refused: no free compartment is left`, caseId ? { caseId } : {});
  }
}

/** The refusal a resident hears when no compartment can be opened. */
export function noFree(): LockerError {
  return new LockerError("all compartments are in use right now; please come back later or ask the staff", ErrorCode.Locker_NoFreeCompartment);
}
