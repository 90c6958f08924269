/** In-memory DoorHardware for pure rule tests (scenario tests use the real simulator). */
import { EventEmitter } from "node:events";
import type { DoorHardware, DoorHardwareEvents, DoorState, UnlockResult } from "../../../src/board/DoorHardware.js";
import { ErrorCode, LockerError } from "../../../src/errors/LockerError.js";

export class FakeDoorHardware extends EventEmitter<DoorHardwareEvents> implements DoorHardware {
  readonly doors = new Map<number, DoorState>();
  readonly jammed = new Set<number>();
  readonly unlocks: number[] = [];
  online = true;
  private readonly commandedAt = new Map<number, number>();

  constructor(numbers: number[]) {
    super();
    for (const n of numbers) this.doors.set(n, "closed");
  }

  async unlock(compartment: number): Promise<UnlockResult> {
    if (!this.online) throw new LockerError("offline", ErrorCode.Board_Offline);
    this.unlocks.push(compartment);
    if (this.jammed.has(compartment)) throw new LockerError(`lock ${compartment} did not release`, ErrorCode.Board_LockFault, { compartment });
    this.commandedAt.set(compartment, Date.now());
    return { compartment, pulses: 1, acknowledged: true, door: this.doors.get(compartment) ?? "unknown", tookMs: 1 };
  }
  doorState(n: number): DoorState {
    return this.doors.get(n) ?? "unknown";
  }
  doorStates(): Map<number, DoorState> {
    return new Map(this.doors);
  }
  async firstPoll(): Promise<void> {}
  /** No item sensor, like an 8A/80 board. */
  occupancy(): boolean | undefined {
    return undefined;
  }

  /** Simulate a person moving a door. */
  set(n: number, state: "open" | "closed"): void {
    const previous = this.doors.get(n) ?? "unknown";
    if (previous === state) return;
    this.doors.set(n, state);
    const commanded = Date.now() - (this.commandedAt.get(n) ?? -1e12) < 5000;
    if (state === "closed") this.commandedAt.delete(n);
    this.emit("door", { compartment: n, board: 1, channel: n, state, previous, commanded, atMonotonicMs: performance.now(), atWallMs: Date.now() });
  }
}
