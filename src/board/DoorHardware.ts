/**
 * The seam between the board layer and the locker rules: everything the core
 * needs from the hardware, in compartment numbers (the board layer maps them
 * to board address + channel from config). Implemented by `LockerHardware`
 * over the real bus; unit tests of pure rules may use an in-memory fake.
 */
import type { EventEmitter } from "node:events";

export type DoorState = "open" | "closed" | "unknown";

export interface DoorChangedEvent {
  compartment: number;
  board: number;
  channel: number;
  state: "open" | "closed";
  previous: DoorState;
  /** True when we pulsed this lock within the last few seconds (an open without it is tamper). */
  commanded: boolean;
  /** When the poll saw it: monotonic ms (for timers) and wall ms (for the record). */
  atMonotonicMs: number;
  atWallMs: number;
}

/** Item presence changed (boards with item sensors only, e.g. Kerong's infrared bits). */
export interface ItemChangedEvent {
  compartment: number;
  board: number;
  channel: number;
  /** Something is inside now. */
  present: boolean;
  /** Undefined on the first reading after start. */
  previous: boolean | undefined;
  atMonotonicMs: number;
  atWallMs: number;
}

export interface UnlockResult {
  compartment: number;
  /** Pulses sent: 1, or 2 when the first reply was lost and a query showed the lock still shut. */
  pulses: number;
  /** The board's reply said the lock released (false if the reply was lost but a query read it open). */
  acknowledged: boolean;
  /** Door state read right after the unlock. */
  door: DoorState;
  /** Wall-clock duration of the whole operation, ms. */
  tookMs: number;
}

export interface DoorHardwareEvents {
  door: [DoorChangedEvent];
  /** Item presence changed; only from boards that sense it. Emitted before the `door` event of the same poll. */
  item: [ItemChangedEvent];
  /** The bus stopped answering (or the device vanished). */
  offline: [{ reason: string; atWallMs: number }];
  online: [{ atWallMs: number }];
  /**
   * A board's doors went unread for `gapMs`: long enough for a door to open and
   * close between two readings without our seeing it (the event loop or the bus
   * stalled). Emitted with the first reading after the gap, for that board's
   * compartments.
   */
  blind: [{ compartments: number[]; gapMs: number; atWallMs: number }];
  /** Every frame on the wire (`tx`, `rx`) and every run of discarded bytes, for `lockerctl monitor`. Fakes need not emit it. */
  frame: [{ dir: "tx" | "rx" | "discard"; bytes: Buffer; atWallMs: number }];
}

/**
 * Hardware port used by the locker core.
 * Errors are `LockerError`s with `Board_*` codes:
 * - `Board_LockFault`: the lock did not release after at most two pulses (the
 *   second only after a query showed it still shut). Mark the compartment faulty.
 * - `Board_Offline`: no transport / board not answering; nothing was sent.
 * - `Board_NoReply`: outcome unknown (reply and verification query both lost).
 */
export interface DoorHardware extends EventEmitter<DoorHardwareEvents> {
  /** Pulse the lock of a compartment and confirm it released. Never re-sends blindly. */
  unlock(compartment: number, reason: string): Promise<UnlockResult>;
  /** Last polled door state of one compartment. */
  doorState(compartment: number): DoorState;
  /** Last polled door state of every configured compartment. */
  doorStates(): Map<number, DoorState>;
  /**
   * Whether something is inside the compartment, as last polled; undefined
   * when its board has no item sensor (then the rules work as without one).
   */
  occupancy(compartment: number): boolean | undefined;
  /** True while every configured board answers its polls. */
  readonly online: boolean;
  /** Resolves after the first complete poll of every board (or rejects on timeout). */
  firstPoll(timeoutMs: number): Promise<void>;
}
