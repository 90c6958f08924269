/**
 * Moves events from the SQLite outbox to the broker, oldest first. An entry
 * is marked sent only when the broker acknowledged it (PUBACK, QoS 1), so a
 * drop mid-way means at-least-once, never lost. Woken at once by
 * `outboxAppended`; drains again on every reconnect; nothing is published
 * while disconnected (entries simply wait in SQLite).
 */
import type { Logger } from "pino";
import type { OutboxEntry, OutboxReader } from "../locker/events.js";

export interface OutboxRelayOptions {
  outbox: OutboxReader;
  /** Publish one event; resolves on PUBACK, rejects if the connection dropped first. */
  publish(entry: OutboxEntry): Promise<void>;
  connected(): boolean;
  log: Logger;
  /** Entries put on the wire before waiting for their acks (in order). default 16. */
  window?: number;
  /** Called after each drained batch, with the outbox depth. */
  onDepth?(depth: number): void;
}

export class OutboxRelay {
  private running = false;
  private again = false;
  private stopped = false;
  private readonly window: number;

  constructor(private readonly o: OutboxRelayOptions) {
    this.window = o.window ?? 16;
  }

  /** Ask for a drain now; cheap to call often (coalesces while one runs). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    const { outbox, log } = this.o;
    try {
      while (!this.stopped && this.o.connected()) {
        const batch = outbox.pending(this.window);
        if (batch.length === 0) break;
        // Put the whole window on the wire in order, then settle acks in order:
        // a later ack never marks past an earlier failure.
        const acks = batch.map((e) => this.o.publish(e).then(() => true, (err: unknown) => err));
        let failed = false;
        for (let i = 0; i < batch.length; i++) {
          const r = await acks[i];
          if (r === true && !failed) outbox.markSent(batch[i]!.seq);
          else if (r !== true && !failed) {
            failed = true;
            log.warn({ seq: batch[i]!.seq, err: r }, "outbox relay: publish not acknowledged; will retry on reconnect");
          }
        }
        this.o.onDepth?.(outbox.depth());
        if (failed) break;
      }
    } catch (err) {
      log.error({ err }, "outbox relay failed; will retry on next wake");
    }
    this.o.onDepth?.(safeDepth(outbox));
  }
}

function safeDepth(outbox: OutboxReader): number {
  try {
    return outbox.depth();
  } catch {
    return -1;
  }
}
