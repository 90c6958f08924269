/**
 * Every asynchronous PIN hash runs on ONE worker thread, one at a time.
 *
 * Why not `crypto.scrypt` on libuv's pool: at our cost (N = 2^14, r = 8) each
 * hash needs 16 MB, and glibc keeps that block in the arena of whichever pool
 * thread ran it, so after a few pickups the four pool threads hold ~64 MB for
 * good (measured: +64 MB RSS after 20 sequential hashes, +16 MB after one).
 * Four hashes at once also take both cores of the device from the event loop
 * that drives the lock. One dedicated thread bounds both: ~16 MB plus the
 * worker's ~9 MB, and at most one core for hashing. The pool stays free for
 * file and serial I/O. Hashes wait in a HashBudget: the locker's own screen
 * first, new PINs next, network checks round-robin per client in a bounded
 * queue (a full queue refuses at once with Locker_Busy, before any hash).
 */
import { Worker } from "node:worker_threads";
import { HashBudget, type HashPriority } from "../util/HashBudget.js";

/** Network PIN checks allowed to wait for the hash thread at once (~30 ms each at N = 2^14). */
export const NETWORK_HASH_QUEUE = 16;

// Inline (eval) so the same code runs from dist/ and under vitest, which does not transpile workers.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
parentPort.on("message", (m) => {
  try {
    const key = scryptSync(m.pin, Buffer.from(m.salt), m.keyLen, { N: m.n, r: m.r, p: m.p, maxmem: 256 * m.n * m.r + 1024 * 1024 });
    parentPort.postMessage({ id: m.id, key });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
});
`;

/** scrypt parameters of one hash. */
export interface ScryptJob {
  pin: string;
  salt: Buffer;
  keyLen: number;
  n: number;
  r: number;
  p: number;
}

type Pending = { resolve: (key: Buffer) => void; reject: (err: Error) => void };

export class PinHashWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Hashes completed (for tests and metrics). */
  completed = 0;
  /** Who is served next (one hash runs at a time). */
  readonly budget = new HashBudget(NETWORK_HASH_QUEUE);

  /**
   * Derive the scrypt key on the worker thread, when `priority`'s turn comes
   * (default "setup": hashing a new PIN or code). `client` groups network
   * checks for round-robin. Rejects with Locker_Busy when the network queue is full.
   */
  derive(job: ScryptJob, priority: HashPriority = "setup", client = ""): Promise<Buffer> {
    return this.budget.run(priority, client, () => this.send(job));
  }

  private send(job: ScryptJob): Promise<Buffer> {
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, pin: job.pin, salt: job.salt, keyLen: job.keyLen, n: job.n, r: job.r, p: job.p });
      // Only a waiting hash keeps the process alive.
      w.ref();
    });
  }

  /** Stop the thread (the next hash starts a new one). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    // execArgv: [] so the parent's flags (e.g. --input-type=module) cannot change how this CommonJS source is read.
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 } });
    w.unref();
    w.on("message", (m: { id: number; key?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      this.completed++;
      if (m.error !== undefined || !m.key) p.reject(new Error(`PIN hash failed: ${m.error ?? "no key"}`));
      else p.resolve(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength));
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on("error", (err) => fail(err));
    w.on("exit", (code) => fail(new Error(`PIN hash worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }
}

/** The process's one PIN hashing thread. */
export const pinHashWorker = new PinHashWorker();
