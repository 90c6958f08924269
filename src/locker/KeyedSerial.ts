/**
 * Runs tasks one after another per key: a task waits for every earlier task
 * that shares one of its keys. PickupDesk uses it per phone and per client so
 * that concurrent guesses cannot all pass the lockout check before the first
 * of them has recorded its failure (the hash is asynchronous).
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` after the earlier tasks of all `keys` have settled. */
  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const before = keys.map((k) => this.tails.get(k)).filter((p): p is Promise<unknown> => p !== undefined);
    // Uncontended: start now, so the task's synchronous part runs within this call as it would without the queue.
    const result = before.length ? Promise.allSettled(before).then(task) : task();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const k of keys) this.tails.set(k, tail);
    void tail.then(() => {
      for (const k of keys) if (this.tails.get(k) === tail) this.tails.delete(k);
    });
    return result;
  }

  /** Keys with a task queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
