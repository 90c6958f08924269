/**
 * A global, fair budget for the one PIN hashing thread. Each PIN check costs
 * one scrypt (~30 ms at N = 2^14 on the Pi); first come, first served let a
 * flood of wrong PINs from 250 addresses push a genuine pickup on the
 * locker's own screen to 6 s. Here:
 * - one hash runs at a time (the thread is single anyway), so a job's wait is
 *   the queue ahead of it, which this class orders:
 *   1. `screen`: the locker's own keypad (a resident standing there);
 *   2. `setup`: hashing a new PIN or code (drop-off, PIN reset: not guesses);
 *   3. `network`: checks from phones and the web, taken round-robin per
 *      client so no address (or phone) crowds out the others;
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

  /** @param maxNetworkQueued network checks allowed to wait at once (≈ worst wait of a phone check in hashes). */
  constructor(private readonly maxNetworkQueued = 16) {}

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
    const [client, q] = first.value;
    const job = q.shift()!;
    this.network.delete(client);
    if (q.length) this.network.set(client, q); // to the back of the round
    this.networkQueued--;
    return job;
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
