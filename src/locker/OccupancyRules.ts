/**
 * Rules for boards that sense whether something is inside a compartment
 * (Kerong's infrared bits). `DoorHardware.occupancy()` is undefined on boards
 * without a sensor, and then none of this applies: the door alone decides, as
 * before. With a sensor:
 * - a drop-off door that closes on an empty compartment does not count: the
 *   kiosk asks for the pouch and the door is opened once more; closed empty
 *   again (or never reopened within the open limit) the case is cancelled
 *   and the compartment freed;
 * - a pickup or staff collect that closes on a compartment still holding
 *   something counts, raises "item-left-behind" and the kiosk says so;
 * - something appearing in a free compartment raises "unexpected-item".
 */
import type { ItemChangedEvent } from "../board/DoorHardware.js";
import { ErrorCode, isLockerError } from "../errors/LockerError.js";
import type { CaseOutcomes } from "./CaseOutcomes.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorWatch } from "./DoorCycles.js";
import type { Tx } from "./Ledger.js";

export class OccupancyRules {
  /** Drop-offs (case ids) already given their one more opening for the pouch. */
  private readonly askedForPouch = new Set<string>();

  constructor(
    private readonly t: CaseTransitions,
    private readonly outcomes: CaseOutcomes,
  ) {}

  /** A drop-off door closed: true when the compartment reads empty and this rule took the cycle over (the drop-off does not count). */
  dropoffClosedEmpty(w: DoorWatch): boolean {
    if (w.purpose !== "dropoff" || !w.caseId) return false;
    const caseId = w.caseId;
    const asked = this.askedForPouch.delete(caseId);
    if (this.t.hardware.occupancy(w.compartment) !== false) return false;
    const n = w.compartment;
    if (asked) {
      this.cancel(w, `door ${n} was closed again on an empty compartment`);
      return true;
    }
    this.askedForPouch.add(caseId);
    this.t.ledger.commit((tx) => {
      tx.audit(w.actor, "door-closed", "ok", { compartment: n, caseId, detail: { purpose: w.purpose, empty: true } });
      tx.audit(w.actor, "dropoff-empty", "refused", { caseId, compartment: n, reason: `door ${n} closed with nothing inside; it opens once more for the pouch` });
    });
    this.t.prompt({ compartment: n, purpose: "dropoff", ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "put-pouch-in" });
    void this.reopen(w);
    return true;
  }

  /** Inside the commit of a pickup / staff collect that closed: true when something is still inside (alarm raised). */
  leftBehind(tx: Tx, w: DoorWatch): boolean {
    if ((w.purpose !== "pickup" && w.purpose !== "staff-collect") || this.t.hardware.occupancy(w.compartment) !== true) return false;
    const who = w.purpose === "pickup" ? "the resident's pickup" : "the staff collect";
    this.t.alarm(tx, "item-left-behind", `something is still inside door ${w.compartment} after ${who}; please take it out`, {
      compartment: w.compartment,
      ...(w.caseId ? { caseId: w.caseId } : {}),
      ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}),
      detail: { purpose: w.purpose },
    });
    return true;
  }

  /** Item presence changed: something new in a free compartment (no door in use there) is alarmed. */
  itemChanged(ev: ItemChangedEvent): void {
    if (!ev.present || ev.previous === true) return;
    this.t.safely("item appeared", () => {
      const comp = this.t.ledger.compartments.get(ev.compartment);
      if (comp?.status !== "free" || this.t.doorInUse(ev.compartment)) return;
      this.t.ledger.commit((tx) =>
        this.t.alarm(tx, "unexpected-item", `something is inside free compartment ${ev.compartment}; staff should check it`, { compartment: ev.compartment }),
      );
    });
  }

  /** Open the drop-off door once more and follow it like the first time. */
  private async reopen(w: DoorWatch): Promise<void> {
    const n = w.compartment;
    let release: (() => void) | undefined;
    try {
      release = this.t.claimDoor(n);
      const r = await this.t.hardware.unlock(n, `dropoff case ${w.caseNumber ?? ""}: put the pouch in`);
      this.t.ledger.commit((tx) => {
        this.t.touchCase(tx, w.caseId!, { pendingPhase: "unlocked" });
        tx.audit(w.actor, "dropoff-unlock", "ok", { caseId: w.caseId, compartment: n, detail: { pulses: r.pulses, again: true } });
      });
      this.t.follow({ ...w, phase: "unlocked" });
    } catch (err) {
      // outcome unknown: follow it like a release; the open timer cancels the case if the door never opens
      if (isLockerError(err, ErrorCode.Board_NoReply) || isLockerError(err, ErrorCode.Board_TransportClosed)) this.t.follow({ ...w, phase: "unlocked" });
      else this.cancel(w, `door ${n} could not be opened again for the pouch: ${(err as Error).message}`);
    } finally {
      release?.();
    }
  }

  private cancel(w: DoorWatch, why: string): void {
    this.askedForPouch.delete(w.caseId!);
    this.t.safely("empty drop-off", () => {
      this.t.ledger.commit((tx) => {
        const c = tx.cases.get(w.caseId!);
        if (c?.state !== "dropoff_pending") return;
        tx.audit(w.actor, "dropoff-empty", "failed", { caseId: c.id, compartment: w.compartment, reason: why });
        this.outcomes.abortReserved(tx, c, w.compartment, "dropoff", w.actor, why);
      });
      this.t.prompt({ compartment: w.compartment, purpose: "dropoff", ...(w.caseNumber ? { caseNumber: w.caseNumber } : {}), phase: "cancelled" });
    });
  }
}
