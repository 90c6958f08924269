/** One holder at a time, first come first served: the half-duplex bus carries one exchange at once. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private held = 0;

  /** Run `fn` after every earlier holder finished; its result or error passes through. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.held++;
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => this.held--,
      () => this.held--,
    );
    return result;
  }

  /** Holders running or queued. */
  get depth(): number {
    return this.held;
  }
}
