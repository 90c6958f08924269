/**
 * What door events mean for cases, compartments and alarms: the handlers
 * `DoorCycles` calls as a followed door opens, closes, never opens or stays
 * open, plus doors moved without a command and the board going off- and
 * online. Every change goes through `CaseTransitions` inside a transaction.
 */
import type { DoorChangedEvent } from "../board/DoorHardware.js";
import type { PendingOp } from "./Case.js";
import type { CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorCycleHandlers, DoorWatch } from "./DoorCycles.js";
import type { DoorPrompt } from "./events.js";
import type { OccupancyRules } from "./OccupancyRules.js";
import { SYSTEM } from "./actors.js";

export class DoorRules implements DoorCycleHandlers {
  constructor(
    private readonly t: CaseTransitions,
    private readonly outcomes: CaseOutcomes,
    private readonly occupancy: OccupancyRules,
  ) {}

  opened(w: DoorWatch): void {
    this.t.safely("door opened", () => {
      this.t.ledger.commit((tx) => {
        if (w.caseId && w.purpose !== "staff-open") tx.cases.update(w.caseId, { pendingPhase: "opened" });
        tx.audit(w.actor, "door-opened", "ok", { compartment: w.compartment, ...caseOf(w), detail: { purpose: w.purpose } });
      });
      this.say(w, "please-close");
    });
  }

  /** The door of a cycle closed again: the operation counts now (unless a drop-off closed on an empty compartment). */
  closed(w: DoorWatch): void {
    this.t.safelyOrLater("door closed", w.compartment, () => {
      if (this.occupancy.dropoffClosedEmpty(w)) return;
      const leftBehind = this.t.ledger.commit((tx) => {
        tx.audit(w.actor, "door-closed", "ok", { compartment: w.compartment, ...caseOf(w), detail: { purpose: w.purpose } });
        if (!w.caseId || w.purpose === "staff-open") return false;
        this.outcomes.completeOp(tx, tx.cases.get(w.caseId)!, w.purpose as PendingOp, w.actor);
        return this.occupancy.leftBehind(tx, w);
      });
      this.say(w, leftBehind ? "left-behind" : "closed");
    });
  }

  neverOpened(w: DoorWatch): void {
    this.t.safelyOrLater("door never opened", w.compartment, () => {
      const why = `door ${w.compartment} was not opened within ${Math.round(this.t.config.rules.doorOpenTimeoutMs / 1000)} s`;
      // Unknown outcome (board offline now or at any point since the unlock, doors unread for longer
      // than a door cycle, or — applied again after a storage failure — a door no longer seen shut):
      // it may have opened and closed unseen, with a pouch put in. Never free it on a guess.
      const unseen = w.unseen ?? (!this.t.hardware.online ? "board offline" : this.t.hardware.doorState(w.compartment) !== "closed" ? "door not seen shut" : undefined);
      if (unseen && w.caseId && w.purpose !== "staff-open") return this.doorUnseen(w, unseen);
      this.t.ledger.commit((tx) => {
        tx.audit(w.actor, "door-never-opened", "failed", { compartment: w.compartment, ...caseOf(w), reason: why, detail: { purpose: w.purpose } });
        if (!w.caseId || w.purpose === "staff-open") return;
        this.outcomes.abortOp(tx, tx.cases.get(w.caseId)!, w.purpose as PendingOp, w.actor, why);
      });
      this.say(w, "cancelled");
    });
  }

  leftOpen(n: number, openForMs: number, w: DoorWatch | undefined): void {
    this.t.safely("door left open", () => {
      this.t.ledger.commit((tx) =>
        this.t.alarm(tx, "door-left-open", `door ${n} has been open for ${Math.round(openForMs / 1000)} s; please close it`, {
          compartment: n,
          ...(w?.caseId ? { caseId: w.caseId } : {}),
          ...(w?.caseNumber ? { caseNumber: w.caseNumber } : {}),
          detail: { openForMs },
        }),
      );
      this.t.prompt({ compartment: n, purpose: w?.purpose ?? "staff-open", ...(w?.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "please-close" });
    });
  }

  unexpectedOpen(ev: DoorChangedEvent): void {
    this.t.safely("door opened", () => {
      if (ev.commanded) return this.auditDoor(ev, "door-opened");
      const comp = this.t.ledger.compartments.get(ev.compartment);
      this.t.ledger.commit((tx) =>
        this.t.alarm(tx, "tamper", `door ${ev.compartment} opened without a command`, {
          compartment: ev.compartment,
          ...(comp?.caseId ? { caseId: comp.caseId } : {}),
          detail: { previous: ev.previous },
        }),
      );
    });
  }

  unexpectedClose(ev: DoorChangedEvent): void {
    this.auditDoor(ev, "door-closed");
  }

  boardOffline(reason: string): void {
    this.t.safely("board offline", () =>
      this.t.ledger.commit((tx) => this.t.alarm(tx, "board-offline", `the lock board stopped answering (${reason}); the locker is out of service`, { detail: { reason } })),
    );
  }

  boardOnline(): void {
    this.t.safely("board online", () => this.t.ledger.commit((tx) => this.t.alarm(tx, "board-online", "the lock board answers again; the locker is back in service")));
  }

  private auditDoor(ev: DoorChangedEvent, action: string): void {
    this.t.safely(action, () => this.t.ledger.commit((tx) => tx.audit(SYSTEM, action, "ok", { compartment: ev.compartment, detail: { commanded: ev.commanded } })));
  }

  /**
   * The open timer ran out on a cycle we could not watch all along (`unseen`
   * says why). Same principle as reconciliation — keep the compartment held: a
   * drop-off or return counts, a collection does not.
   */
  private doorUnseen(w: DoorWatch, unseen: string): void {
    const op = w.purpose as PendingOp;
    const why = `door ${w.compartment} could not be watched (${unseen})`;
    this.t.ledger.commit((tx) => {
      const c = tx.cases.get(w.caseId!)!;
      tx.audit(w.actor, "door-unseen", "failed", { compartment: w.compartment, caseId: c.id, reason: why, detail: { purpose: op } });
      if (op === "dropoff" || op === "staff-return") this.outcomes.completeOp(tx, c, op, w.actor, { doorUnseen: true });
      else this.outcomes.abortOp(tx, c, op, w.actor, why);
    });
    this.t.safely("door unseen", () => this.say(w, "closed"));
  }

  private say(w: DoorWatch, phase: DoorPrompt["phase"]): void {
    this.t.prompt({ compartment: w.compartment, purpose: w.purpose, ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase });
  }
}

function caseOf(w: DoorWatch): { caseId?: string } {
  return w.caseId ? { caseId: w.caseId } : {};
}
