/**
 * The door cache: turns each board reading into per-compartment door state
 * (and item presence where the board has sensors), emits a change event only
 * on a change, and tells a commanded open (our pulse within the window) from
 * tamper. Knows compartments ↔ board + channel; does no I/O.
 */
import { EventEmitter } from "node:events";
import type { CompartmentConfig } from "../config/LockerConfig.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { BoardReading } from "./BoardClient.js";
import type { DoorChangedEvent, DoorState, ItemChangedEvent } from "./DoorHardware.js";

export interface DoorTrackerEvents {
  door: [DoorChangedEvent];
  item: [ItemChangedEvent];
}

/** An open this long after our pulse of that channel counts as commanded, ms (default). */
export const DEFAULT_COMMANDED_WINDOW_MS = 10_000;

export class DoorTracker extends EventEmitter<DoorTrackerEvents> {
  private readonly byChannel = new Map<string, CompartmentConfig>();
  private readonly states = new Map<number, DoorState>();
  /** Item presence per compartment; absent = the board reports none (no sensor). */
  private readonly items = new Map<number, boolean>();
  private readonly lastPulse = new Map<string, number>();

  constructor(
    compartments: CompartmentConfig[],
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly commandedWindowMs = DEFAULT_COMMANDED_WINDOW_MS,
  ) {
    super();
    for (const c of compartments) {
      this.byChannel.set(`${c.board}:${c.channel}`, c);
      this.states.set(c.number, "unknown");
    }
  }

  doorState(compartment: number): DoorState {
    return this.states.get(compartment) ?? "unknown";
  }

  doorStates(): Map<number, DoorState> {
    return new Map(this.states);
  }

  /** Last reported item presence; undefined when the board has no item sensor (or before the first poll). */
  occupancy(compartment: number): boolean | undefined {
    return this.items.get(compartment);
  }

  /** Remember that we pulsed this lock now (an open soon after is commanded, not tamper). */
  pulsed(board: number, channel: number): void {
    this.lastPulse.set(`${board}:${channel}`, this.clock.monotonicMs());
  }

  /** Apply one poll reading; emits `door` / `item` for each change. */
  apply(r: BoardReading): void {
    const now = this.clock.monotonicMs();
    for (const ch of r.channels) {
      const c = this.byChannel.get(`${r.board}:${ch.channel}`);
      if (!c) continue;
      this.applyItem(c.number, r.board, ch.channel, ch.item, now);
      const state: DoorState = ch.shut ? "closed" : "open";
      const previous = this.states.get(c.number) ?? "unknown";
      if (previous === state) continue;
      this.states.set(c.number, state);
      const pulsed = this.lastPulse.get(`${r.board}:${ch.channel}`);
      const ev: DoorChangedEvent = {
        compartment: c.number,
        board: r.board,
        channel: ch.channel,
        state,
        previous,
        commanded: pulsed !== undefined && now - pulsed <= this.commandedWindowMs,
        atMonotonicMs: now,
        atWallMs: this.clock.wallMs(),
      };
      if (state === "open" && !ev.commanded && previous !== "unknown") this.log.warn({ compartment: c.number }, "door opened without a command (tamper)");
      this.emit("door", ev);
    }
  }

  private applyItem(compartment: number, board: number, channel: number, item: boolean | undefined, now: number): void {
    if (item === undefined) return;
    const previous = this.items.get(compartment);
    if (previous === item) return;
    this.items.set(compartment, item);
    this.emit("item", { compartment, board, channel, present: item, previous, atMonotonicMs: now, atWallMs: this.clock.wallMs() });
  }
}
