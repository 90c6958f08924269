/**
 * Moves events from the SQLite outbox to the broker, oldest first. An entry
 * is marked sent only when the broker acknowledged it (PUBACK, QoS 1), so a
 * drop mid-way means at-least-once, never lost. Woken at once by
 * `outboxAppended`; drains again on every reconnect; nothing is published
 * while disconnected (entries simply wait in SQLite).
 */
import type { Logger } from "pino";
import type { OutboxEntry, OutboxReader } from "../locker/events.js";
import type { DeadLetter } from "../store/Outbox.js";

/** An entry that can never be published as it is (bad topic, too large): set aside at once. */
export class PoisonEntryError extends Error {}

/** The outbox's dead-letter side, when the store has one. */
export interface DeadLetterStore {
  recordFailure(seq: number): number;
  setAside(seq: number, reason: string): DeadLetter | undefined;
}

/**
 * Failed publishes of the same head-of-line entry before it is set aside. A
 * link that drops now and then fails whichever entry is in flight, so this
 * is generous; an entry the broker refuses every time fails here within a
 * few minutes of backoff.
 */
export const MAX_ATTEMPTS = 10;

export interface OutboxRelayOptions {
  outbox: OutboxReader & Partial<DeadLetterStore>;
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

  private setAsideIfPoison(entry: OutboxEntry, err: unknown): boolean {
    return setAside(this.o, entry, err);
  }

  private async drain(): Promise<void> {
    const { outbox, log } = this.o;
    try {
      while (!this.stopped && this.o.connected()) {
        const batch = outbox.pending(this.window);
        if (batch.length === 0) break;
        // Put the whole window on the wire in order, then settle acks in order:
        // a later ack never marks past an earlier failure.
        const acks = batch.map((e) =>
          this.o.publish(e).then(
            () => true,
            (err: unknown) => err,
          ),
        );
        let failed = false;
        for (let i = 0; i < batch.length; i++) {
          const r = await acks[i];
          if (r === true && !failed) outbox.markSent(batch[i]!.seq);
          else if (r !== true && !failed) {
            failed = !this.setAsideIfPoison(batch[i]!, r);
            if (failed) log.warn({ seq: batch[i]!.seq, err: r }, "outbox relay: publish not acknowledged; will retry on reconnect");
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

/** A poison entry, or one that failed MAX_ATTEMPTS times, is set aside (true): the rest go on. */
function setAside(o: OutboxRelayOptions, entry: OutboxEntry, err: unknown): boolean {
  const { outbox, log } = o;
  if (!outbox.setAside || !outbox.recordFailure) return false;
  const why = err instanceof Error ? err.message : String(err);
  let reason: string | undefined;
  if (err instanceof PoisonEntryError) reason = why;
  else {
    const attempts = outbox.recordFailure(entry.seq);
    if (attempts >= MAX_ATTEMPTS) reason = `not acknowledged after ${attempts} attempts (last: ${why})`;
  }
  if (reason === undefined) return false;
  outbox.setAside(entry.seq, reason);
  log.error({ seq: entry.seq, id: entry.event.id, type: entry.event.type, reason }, "outbox relay: event set aside as a dead letter; the events behind it go on");
  return true;
}

function safeDepth(outbox: OutboxReader): number {
  try {
    return outbox.depth();
  } catch {
    return -1;
  }
}
