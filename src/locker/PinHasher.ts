/**
 * Every asynchronous PIN hash runs one at a time, as `crypto.scrypt` on
 * libuv's pool, in the order a HashBudget decides: the locker's own screen
 * first, new PINs next, network checks round-robin per client in a bounded
 * queue (a full queue refuses at once with Locker_Busy, before any hash).
 *
 * Memory: at our cost (N = 2^14, r = 8) a hash needs one 16 MB block. With
 * glibc's defaults the pool thread that ran a hash kept that block in its
 * arena (four threads: +64 MB for good), which is why hashes used to run on a
 * dedicated worker thread, itself ~9 MB (a second V8 isolate). The daemon's
 * malloc environment (MALLOC_ENV in src/daemon/nodeFlags.ts: a fixed 1 MB
 * mmap threshold) now puts such a block in its own mapping, returned to the
 * system when the hash ends, whichever thread ran it. With one hash at a time
 * the hash costs 16 MB while it runs and nothing after; the worker is gone
 * (bench:http peak RSS −9 MB). One at a time also keeps hashing to at most
 * one of the device's two cores, and three pool threads free for file I/O.
 */
import { scrypt } from "node:crypto";
import { HashBudget, type HashPriority } from "../util/HashBudget.js";

/** Network PIN checks allowed to wait for the hash at once (~30 ms each at N = 2^14). */
export const NETWORK_HASH_QUEUE = 16;

/** scrypt parameters of one hash. */
export interface ScryptJob {
  pin: string;
  salt: Buffer;
  keyLen: number;
  n: number;
  r: number;
  p: number;
}

export class PinHasher {
  /** Hashes completed (for tests and metrics). */
  completed = 0;
  /** Who is served next (one hash runs at a time). */
  readonly budget = new HashBudget(NETWORK_HASH_QUEUE);

  /**
   * Derive the scrypt key when `priority`'s turn comes (default "setup":
   * hashing a new PIN or code). `client` groups network checks for
   * round-robin. Rejects with Locker_Busy when the network queue is full.
   */
  derive(job: ScryptJob, priority: HashPriority = "setup", client = ""): Promise<Buffer> {
    return this.budget.run(priority, client, () => this.hash(job));
  }

  private hash(job: ScryptJob): Promise<Buffer> {
    // maxmem: the block (128·N·r bytes) plus room; Node's 32 MB default would refuse N = 2^15.
    const options = { N: job.n, r: job.r, p: job.p, maxmem: 256 * job.n * job.r + 1024 * 1024 };
    return new Promise<Buffer>((resolve, reject) => {
      scrypt(job.pin, job.salt, job.keyLen, options, (err, key) => {
        this.completed++;
        if (err) reject(new Error(`PIN hash failed: ${err.message}`));
        else resolve(key);
      });
    });
  }
}

/** The process's one PIN hasher. */
export const pinHasher = new PinHasher();
