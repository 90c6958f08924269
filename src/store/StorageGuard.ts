/**
 * Write failures of the disk itself (full, I/O error), noticed at the one
 * write seam (`Ledger.commit`) rather than at every statement: the
 * transaction is rolled back by SQLite, the caller gets `Store_Unwritable`
 * (HTTP 503, "out of service", with the help phone), and the store is marked
 * degraded until a write succeeds again. While degraded a tiny probe write
 * runs every `probeMs` so that recovery (space freed by a technician) is
 * noticed without waiting for a resident to try.
 *
 * The probe rewrites `user_version` with its own value: a real write of one
 * page to the WAL (it fails with SQLITE_FULL on a full disk) that changes
 * nothing and needs no table of its own.
 */
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { Db } from "./openDatabase.js";
import { isStorageFailure } from "./storageFailure.js";

export { isStorageFailure } from "./storageFailure.js";

/** What the disk refused, since when (monotonic ms). */
export interface StorageFailure {
  /** SQLite or errno code: SQLITE_FULL, SQLITE_IOERR_WRITE, ENOSPC… */
  code: string;
  message: string;
  sinceMono: number;
}

export interface StorageGuardOptions {
  /** Monotonic clock, ms (for `sinceMono`). */
  monotonicMs: () => number;
  /** The centre's help phone (config `helpPhone`), carried in the refusal for the resident. */
  helpPhone: string;
  /** Probe interval while degraded, ms (3 s: a technician who freed space sees /readyz turn ready at once). */
  probeMs?: number;
}

export class StorageGuard {
  private failure?: StorageFailure;
  private timer?: NodeJS.Timeout;
  /** Called once when writes start failing (not again until they recovered). */
  onFailed: (f: StorageFailure) => void = () => {};
  /** Called once when a write succeeds again after a failure (from a timer or after the write's commit). */
  onRecovered: (f: StorageFailure) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly o: StorageGuardOptions,
  ) {}

  /** The current failure, if writes are failing (for /readyz and the kiosk). */
  get problem(): StorageFailure | undefined {
    return this.failure;
  }

  /** Run `fn` in one transaction; a disk failure marks the store degraded and throws `Store_Unwritable`. */
  transaction<T>(fn: () => T): T {
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (err) {
      if (!isStorageFailure(err)) throw err;
      throw this.failed(err);
    }
    if (this.failure) this.recovered();
    return result;
  }

  /** One small real write; true when it committed (then a degraded store has recovered). */
  probe(): boolean {
    try {
      const v = Number(this.db.pragma("user_version", { simple: true }));
      this.db.pragma(`user_version = ${Math.trunc(v)}`);
    } catch (err) {
      if (!isStorageFailure(err)) throw err;
      this.failed(err);
      return false;
    }
    if (this.failure) this.recovered();
    return true;
  }

  /** Stop probing (service stop). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Record a failure (first one only: the alarm is raised once per episode) and build the refusal. */
  private failed(err: unknown): LockerError {
    if (isLockerError(err, ErrorCode.Store_Unwritable)) return err; // a nested transaction already reported it
    const code = String((err as { code?: unknown }).code);
    const message = (err as Error).message;
    if (!this.failure) {
      this.failure = { code, message, sinceMono: this.o.monotonicMs() };
      this.timer = setInterval(() => this.probe(), this.o.probeMs ?? 3_000);
      this.timer.unref();
      this.onFailed(this.failure);
    }
    return new LockerError(`the locker is out of service: its storage refuses writes (${code}: ${message}); staff have been alerted`, ErrorCode.Store_Unwritable, {
      storage: code,
      ...(this.o.helpPhone ? { helpPhone: this.o.helpPhone } : {}),
    });
  }

  private recovered(): void {
    const f = this.failure!;
    this.failure = undefined;
    this.stop();
    // After the caller's commit has returned: recovery work writes through the same seam.
    setImmediate(() => this.onRecovered(f));
  }
}
