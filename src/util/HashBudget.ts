/**
 * A global, fair budget for PIN hashing (one hash at a time). Each PIN check costs
 * one scrypt (~30 ms at N = 2^14 on the Pi); first come, first served let a
 * flood of wrong PINs from 250 addresses push a genuine pickup on the
 * locker's own screen to 6 s. Here:
 * - one hash runs at a time (one 16 MB block, one core), so a job's wait is
 *   the queue ahead of it, which this class orders:
 *   1. `screen`: the locker's own keypad (a resident standing there);
 *   2. `setup`: hashing a new PIN or code (drop-off, PIN reset: not guesses);
 *   3. `network`: checks from phones and the web, taken round-robin per
 *      client so no address (or phone) crowds out the others;
 * - network checks get at most `networkPerSecond` hashes a second (a token
 *   bucket): a flood cannot keep hashing, and with it a core of the
 *   2-core device, busy all the time, so the event loop that drives the lock
 *   and the screen's own checks keep their CPU;
 * - the network queue is bounded: past `maxNetworkQueued` a check is refused
 *   at once with `Locker_Busy`, before any hash and without counting as a
 *   wrong PIN (a refusal that needs no hash comes first).
 * So a screen pickup waits at most for the one hash already running.
 */
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export type HashPriority = "screen" | "setup" | "network";

interface Job {
  run: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface HashBudgetStats {
  running: boolean;
  screen: number;
  setup: number;
  network: number;
  /** Network checks refused because the queue was full, since start. */
  refusedBusy: number;
}

export class HashBudget {
  private running = false;
  private readonly screen: Job[] = [];
  private readonly setup: Job[] = [];
  /** client → its queued network jobs; Map order is the round-robin order. */
  private readonly network = new Map<string, Job[]>();
  private networkQueued = 0;
  private refusedBusy = 0;

  private tokens: number;
  private lastRefill = performance.now();
  private refillTimer: NodeJS.Timeout | undefined;

  /**
   * @param maxNetworkQueued network checks allowed to wait at once.
   * @param networkPerSecond network hashes allowed per second (burst: as many).
   */
  constructor(
    private readonly maxNetworkQueued = 16,
    private readonly networkPerSecond = 8,
  ) {
    this.tokens = networkPerSecond;
  }

  /** Run `job` (which hashes) when its turn comes. Throws `Locker_Busy` at once when a network queue is full. */
  run<T>(priority: HashPriority, client: string, job: () => Promise<T>): Promise<T> {
    if (priority === "network" && this.networkQueued >= this.maxNetworkQueued) {
      this.refusedBusy++;
      return Promise.reject(new LockerError("the locker is busy checking other PINs; please try again in a few seconds", ErrorCode.Locker_Busy, { retryAfterS: 5 }));
    }
    return new Promise<T>((resolve, reject) => {
      const j: Job = { run: job, resolve: resolve as (v: unknown) => void, reject };
      if (priority === "screen") this.screen.push(j);
      else if (priority === "setup") this.setup.push(j);
      else {
        const q = this.network.get(client);
        if (q) q.push(j);
        else this.network.set(client, [j]);
        this.networkQueued++;
      }
      this.pump();
    });
  }

  stats(): HashBudgetStats {
    return { running: this.running, screen: this.screen.length, setup: this.setup.length, network: this.networkQueued, refusedBusy: this.refusedBusy };
  }

  private next(): Job | undefined {
    const j = this.screen.shift() ?? this.setup.shift();
    if (j) return j;
    const first = this.network.entries().next();
    if (first.done) return undefined;
    if (!this.takeToken()) return undefined;
    const [client, q] = first.value;
    const job = q.shift()!;
    this.network.delete(client);
    if (q.length) this.network.set(client, q); // to the back of the round
    this.networkQueued--;
    return job;
  }

  /** One network token if available; otherwise pump again when the next one is due. */
  private takeToken(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.networkPerSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.networkPerSecond);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (!this.refillTimer) {
      this.refillTimer = setTimeout(
        () => {
          this.refillTimer = undefined;
          this.pump();
        },
        Math.ceil(((1 - this.tokens) / this.networkPerSecond) * 1000),
      );
      this.refillTimer.unref();
    }
    return false;
  }

  private pump(): void {
    if (this.running) return;
    const j = this.next();
    if (!j) return;
    this.running = true;
    j.run()
      .then(j.resolve, j.reject)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }
}
