/**
 * Follows each unlocked door through its cycle: unlocked → seen open → seen
 * closed, with the two timers the rules need (door never opened; door left
 * open, repeating). Pure bookkeeping over timers: what a cycle *means* is
 * decided by the handlers (DoorRules).
 */
import type { DoorChangedEvent, DoorState } from "../board/DoorHardware.js";
import type { Actor } from "./LockerApi.js";
import type { DoorPrompt } from "./events.js";

export interface DoorWatch {
  compartment: number;
  purpose: DoorPrompt["purpose"];
  caseId?: string;
  caseNumber?: string;
  phase: "unlocked" | "opened";
  actor: Actor;
  /**
   * Why this cycle was not watched all along (board offline at some point, the bus closed
   * during the unlock, doors unread for too long): an open and close may have happened
   * unseen, so "never opened" cannot be concluded.
   */
  unseen?: string;
}

export interface DoorCycleHandlers {
  opened(w: DoorWatch): void;
  closed(w: DoorWatch): void;
  neverOpened(w: DoorWatch): void;
  /** A door (watched or not) has been open for `openForMs`; called again every `doorLeftOpenMs` while open. */
  leftOpen(compartment: number, openForMs: number, w: DoorWatch | undefined): void;
  /** A door opened without an active cycle. `commanded: false` means tamper. */
  unexpectedOpen(ev: DoorChangedEvent): void;
  /** A door closed without an active cycle. */
  unexpectedClose(ev: DoorChangedEvent): void;
}

export class DoorCycles {
  private readonly watches = new Map<number, DoorWatch>();
  private readonly openTimers = new Map<number, NodeJS.Timeout>();
  private readonly leftOpenTimers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly rules: { doorOpenTimeoutMs: number; doorLeftOpenMs: number },
    private readonly h: DoorCycleHandlers,
  ) {}

  /** True while a cycle is in progress on this compartment. */
  busy(compartment: number): boolean {
    return this.watches.has(compartment);
  }

  watch(compartment: number): DoorWatch | undefined {
    return this.watches.get(compartment);
  }

  /** Start following a door that was just unlocked (or resume one after a restart). `doorNow` is its state right now. */
  follow(w: DoorWatch, doorNow: DoorState): void {
    this.watches.set(w.compartment, w);
    if (doorNow === "open") {
      if (w.phase === "unlocked") {
        w.phase = "opened";
        this.h.opened(w);
      }
      this.armLeftOpen(w.compartment);
      return;
    }
    if (w.phase === "opened") {
      // Resumed after a restart: wait for the close (or, if it is shut already, the cycle is complete).
      if (doorNow === "closed") {
        this.finish(w.compartment);
        this.h.closed(w);
      }
      return;
    }
    this.openTimers.set(
      w.compartment,
      setTimeout(() => {
        this.openTimers.delete(w.compartment);
        if (this.watches.get(w.compartment) !== w || w.phase !== "unlocked") return;
        this.finish(w.compartment);
        this.h.neverOpened(w);
      }, this.rules.doorOpenTimeoutMs),
    );
  }

  /** Start the left-open alarm for a door found open with no cycle (e.g. at start-up). */
  trackOpenDoor(compartment: number): void {
    if (!this.leftOpenTimers.has(compartment)) this.armLeftOpen(compartment);
  }

  /** The board went offline, or its doors went unread too long: cycles in progress (of `compartments`, default all) may miss their door's movements. */
  markUnseen(why: string, compartments?: readonly number[]): void {
    for (const w of this.watches.values()) if (!compartments || compartments.includes(w.compartment)) w.unseen ??= why;
  }

  /** Feed every door change from the hardware here. */
  onDoor(ev: DoorChangedEvent): void {
    const w = this.watches.get(ev.compartment);
    if (ev.state === "open") {
      this.armLeftOpen(ev.compartment);
      if (w && w.phase === "unlocked") {
        clearTimeout(this.openTimers.get(ev.compartment));
        this.openTimers.delete(ev.compartment);
        w.phase = "opened";
        this.h.opened(w);
      } else if (!w) this.h.unexpectedOpen(ev);
      return;
    }
    clearTimeout(this.leftOpenTimers.get(ev.compartment));
    this.leftOpenTimers.delete(ev.compartment);
    if (w && w.phase === "opened") {
      this.finish(ev.compartment);
      this.h.closed(w);
    } else if (!w) this.h.unexpectedClose(ev);
  }

  /** Stop every timer (service stop). */
  stop(): void {
    for (const t of this.openTimers.values()) clearTimeout(t);
    for (const t of this.leftOpenTimers.values()) clearTimeout(t);
    this.openTimers.clear();
    this.leftOpenTimers.clear();
    this.watches.clear();
  }

  private finish(compartment: number): void {
    clearTimeout(this.openTimers.get(compartment));
    this.openTimers.delete(compartment);
    this.watches.delete(compartment);
  }

  private armLeftOpen(compartment: number): void {
    clearTimeout(this.leftOpenTimers.get(compartment));
    const period = this.rules.doorLeftOpenMs;
    let openFor = 0;
    const tick = (): void => {
      openFor += period;
      this.leftOpenTimers.set(compartment, setTimeout(tick, period));
      this.h.leftOpen(compartment, openFor, this.watches.get(compartment));
    };
    this.leftOpenTimers.set(compartment, setTimeout(tick, period));
  }
}
