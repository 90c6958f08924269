/**
 * A global, fair budget for PIN hashing (one hash at a time). Each PIN check costs
 * one scrypt (~30 ms at N = 2^14 on the Pi); first come, first served let a
 * flood of wrong PINs from 250 addresses push a genuine pickup on the
 * locker's own screen to 6 s. Here:
 * - one hash runs at a time (one 8 MB block, one core), so a job's wait is
 *   the queue ahead of it, which this class orders:
 *   1. `screen`: the locker's own keypad (a resident standing there);
 *   2. `setup`: hashing a new PIN or code (drop-off, PIN reset: not guesses);
 *   3. `network`: checks from phones and the web, taken round-robin per
 *      client so no address (or phone) crowds out the others;
 * - network checks get at most `networkPerSecond` hashes a second (a token
 *   bucket) AND at most `networkShare` of the hash thread's wall time
 *   (measured: each network hash is charged what it took). A count alone is
 *   not enough: on a loaded machine a hash takes 5–10 times longer, and 8
 *   hashes a second then kept the thread busy back to back, so a screen check
 *   always found a (slow) network hash running, and the flood's thread
 *   competed with the event loop all the time. Charged by time, a flood holds
 *   the thread at most `networkShare` of the time however slow hashes get, so
 *   a screen check finds the thread free that often, and the event loop that
 *   drives the lock keeps its CPU;
 * - the network queue is bounded: past `maxNetworkQueued` a check is refused
 *   at once with `Locker_Busy`, before any hash and without counting as a
 *   wrong PIN (a refusal that needs no hash comes first).
 * So a screen pickup waits at most for the one hash already running, and
 * under a flood finds one running only `networkShare` of the time.
 */
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export type HashPriority = "screen" | "setup" | "network";

interface Job {
  /** performance.now() when queued. */
  queuedAt: number;
  run: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Default share of the hash thread's wall time network checks may use (with 8/s at ~30 ms a hash on the Pi: the same rate). */
export const NETWORK_HASH_SHARE = 0.25;

export interface HashBudgetStats {
  running: boolean;
  screen: number;
  setup: number;
  network: number;
  /** Network checks refused because the queue was full, since start. */
  refusedBusy: number;
  /** Network checks hashed, since start. */
  networkHashed: number;
  /** Wall time the hash thread spent on network checks, since start, ms. */
  networkHashMs: number;
  /** Checks typed on the locker's screen, since start. */
  screenChecks: number;
  /** Longest a screen check waited for the hash thread (the hash already running), since start, ms. */
  screenWaitMaxMs: number;
}

export class HashBudget {
  private running = false;
  private readonly screen: Job[] = [];
  private readonly setup: Job[] = [];
  /** client → its queued network jobs; Map order is the round-robin order. */
  private readonly network = new Map<string, Job[]>();
  private networkQueued = 0;
  private refusedBusy = 0;
  private networkHashed = 0;
  private networkHashMs = 0;
  private screenChecks = 0;
  private screenWaitMaxMs = 0;

  private tokens: number;
  /** Hash-thread time network checks may still use, ms (negative after a slow hash: the debt is waited off). */
  private allowanceMs: number;
  private readonly maxAllowanceMs: number;
  private lastRefill = performance.now();
  private refillTimer: NodeJS.Timeout | undefined;

  /**
   * @param maxNetworkQueued network checks allowed to wait at once.
   * @param networkPerSecond network hashes allowed per second (burst: as many).
   * @param networkShare share of wall time the hash thread may spend on network checks (0 < share ≤ 1; burst: one second's worth).
   */
  constructor(
    private readonly maxNetworkQueued = 16,
    private readonly networkPerSecond = 8,
    private readonly networkShare = NETWORK_HASH_SHARE,
  ) {
    if (!(networkShare > 0 && networkShare <= 1)) throw new RangeError(`networkShare must be in (0, 1], got ${networkShare}`);
    this.tokens = networkPerSecond;
    this.maxAllowanceMs = networkShare * 1000;
    this.allowanceMs = this.maxAllowanceMs;
  }

  /**
   * Throw `Locker_Busy` (counted) when a `priority` check would be refused
   * anyway: the caller refuses before any other work (a flood's guesses then
   * cost no database lookup either). `run` checks again.
   */
  refuseIfFull(priority: HashPriority): void {
    if (priority === "network" && this.networkQueued >= this.maxNetworkQueued) {
      this.refusedBusy++;
      throw new LockerError("the locker is busy checking other PINs; please try again in a few seconds", ErrorCode.Locker_Busy, { retryAfterS: 5 });
    }
  }

  /** Run `job` (which hashes) when its turn comes. Throws `Locker_Busy` at once when a network queue is full. */
  run<T>(priority: HashPriority, client: string, job: () => Promise<T>): Promise<T> {
    try {
      this.refuseIfFull(priority);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      const j: Job = { queuedAt: performance.now(), run: job, resolve: resolve as (v: unknown) => void, reject };
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
    return {
      running: this.running,
      screen: this.screen.length,
      setup: this.setup.length,
      network: this.networkQueued,
      refusedBusy: this.refusedBusy,
      networkHashed: this.networkHashed,
      networkHashMs: Math.round(this.networkHashMs),
      screenChecks: this.screenChecks,
      screenWaitMaxMs: Math.round(this.screenWaitMaxMs),
    };
  }

  /** The next job to run, and whether it is a network check (charged to the budget). */
  private next(): { job: Job; network: boolean } | undefined {
    const s = this.screen.shift();
    if (s) {
      this.screenChecks++;
      this.screenWaitMaxMs = Math.max(this.screenWaitMaxMs, performance.now() - s.queuedAt);
      return { job: s, network: false };
    }
    const j = this.setup.shift();
    if (j) return { job: j, network: false };
    const first = this.network.entries().next();
    if (first.done) return undefined;
    if (!this.networkMayStart()) return undefined;
    const [client, q] = first.value;
    const job = q.shift()!;
    this.network.delete(client);
    if (q.length) this.network.set(client, q); // to the back of the round
    this.networkQueued--;
    return { job, network: true };
  }

  /** True (a token taken) when both the rate and the time share allow a network hash now; otherwise pump again when they will. */
  private networkMayStart(): boolean {
    const now = performance.now();
    const elapsedMs = now - this.lastRefill;
    this.tokens = Math.min(this.networkPerSecond, this.tokens + (elapsedMs / 1000) * this.networkPerSecond);
    this.allowanceMs = Math.min(this.maxAllowanceMs, this.allowanceMs + elapsedMs * this.networkShare);
    this.lastRefill = now;
    if (this.tokens >= 1 && this.allowanceMs > 0) {
      this.tokens -= 1;
      return true;
    }
    if (!this.refillTimer) {
      const tokenWaitMs = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.networkPerSecond) * 1000;
      const shareWaitMs = this.allowanceMs > 0 ? 0 : (-this.allowanceMs + 1) / this.networkShare;
      this.refillTimer = setTimeout(
        () => {
          this.refillTimer = undefined;
          this.pump();
        },
        Math.ceil(Math.max(tokenWaitMs, shareWaitMs)),
      );
      this.refillTimer.unref();
    }
    return false;
  }

  private pump(): void {
    if (this.running) return;
    const n = this.next();
    if (!n) return;
    this.running = true;
    const started = performance.now();
    n.job
      .run()
      .then(n.job.resolve, n.job.reject)
      .finally(() => {
        if (n.network) {
          // Charged after the fact: what the hash really took on this machine, now.
          const tookMs = performance.now() - started;
          this.allowanceMs -= tookMs;
          this.networkHashed++;
          this.networkHashMs += tookMs;
        }
        this.running = false;
        this.pump();
      });
  }
}
