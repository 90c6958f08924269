/**
 * Every asynchronous PIN hash runs one at a time, as `crypto.scrypt` on
 * libuv's pool, in the order a HashBudget decides: the locker's own screen
 * first, new PINs next, network checks round-robin per client in a bounded
 * queue (a full queue refuses at once with Locker_Busy, before any hash).
 *
 * Memory: a hash needs one block of 128·N·r bytes, 8 MB at our shape (N = 2^14,
 * r = 4; see SCRYPT_SHAPE). The daemon's malloc environment (MALLOC_ENV in
 * src/daemon/nodeFlags.ts: a fixed 1 MB mmap threshold) puts that block in its
 * own mapping, returned to the system when the hash ends, whichever pool
 * thread ran it (with glibc's defaults each of the four threads kept its block
 * for good). With one hash at a time the hash costs its block while it runs
 * and nothing after. One at a time also keeps hashing to at most one of the
 * device's two cores, and three pool threads free for file I/O.
 */
import { scrypt } from "node:crypto";
import { HashBudget, type HashPriority } from "../util/HashBudget.js";

/** Network PIN checks allowed to wait for the hash at once (~30 ms each at N = 2^14). */
export const NETWORK_HASH_QUEUE = 16;

/**
 * The shape of every new hash, PINs and staff codes alike. Until 2026-12 it
 * was r = 8, p = 1 (a 16 MB block at N = 2^14, 16 % of the daemon's 100 MB
 * budget while it ran; bench:http peaked at 99–105 MB). r = 4, p = 2 does the
 * same work (scrypt's time grows with N·r·p; measured here 33 ms for 8, 1
 * and 31 ms for 4, 2) in half the memory, because OpenSSL runs the p lanes one after the
 * other in one block. What an attacker who stole both the database and the
 * pepper file pays per guess is unchanged in time and halved in memory; for a
 * 6-digit PIN (10^6 guesses) the pepper, kept out of the database and its
 * backups, is what protects it, not the block size (PIN_POLICY.md).
 * Stored hashes carry their own shape and keep verifying (legacy rows: 8, 1).
 */
export const SCRYPT_SHAPE: Readonly<{ r: number; p: number }> = { r: 4, p: 2 };

/** A stored r or p outside 1–16 is not one lockerd wrote: verifying it could cost minutes of hashing, so it never matches. */
export function isPlausibleScryptShape(r: number, p: number): boolean {
  return Number.isInteger(r) && Number.isInteger(p) && r >= 1 && r <= 16 && p >= 1 && p <= 16;
}

/** Node's scrypt options for a job. maxmem: the block (128·N·r bytes) plus room; Node's 32 MB default would refuse N = 2^15 at r = 8. */
export function scryptOptions(job: Pick<ScryptJob, "n" | "r" | "p">): { N: number; r: number; p: number; maxmem: number } {
  return { N: job.n, r: job.r, p: job.p, maxmem: 256 * job.n * job.r + 1024 * 1024 };
}

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
    const options = scryptOptions(job);
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
