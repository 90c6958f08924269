/**
 * Polls query-all for every board every `intervalMs` (start to start) and
 * hands each reading or failure to its owner. It keeps no door state itself:
 * `LockerHardware` turns readings into door events and online/offline.
 */
import type { BoardReading } from "./BoardClient.js";

export interface DoorMonitorDeps {
  boards: number[];
  /** Poll period, ms (`bus.timeouts.pollIntervalMs`). */
  intervalMs: number;
  /** One query-all of one board; rejects when the board did not answer. */
  poll(board: number): Promise<BoardReading>;
  onReading(reading: BoardReading): void;
  onFailure(board: number, err: unknown): void;
  /** After every round over all boards. */
  onRound?(): void;
}

export class DoorMonitor {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** performance.now() when the last round over all boards ended. */
  lastRoundAt = performance.now();
  /** How long the last round over all boards took, ms (poll latency for /metrics). */
  lastRoundMs: number | undefined;

  constructor(private readonly deps: DoorMonitorDeps) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.lastRoundAt = performance.now();
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the poll in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Skip the rest of the current wait and poll now (e.g. after an `82` push). */
  pollNow(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      for (const board of this.deps.boards) {
        if (!this.running) return;
        try {
          this.deps.onReading(await this.deps.poll(board));
        } catch (err) {
          this.deps.onFailure(board, err);
        }
      }
      this.lastRoundAt = performance.now();
      this.lastRoundMs = this.lastRoundAt - started;
      this.deps.onRound?.();
      const wait = this.deps.intervalMs - (performance.now() - started);
      if (wait > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
