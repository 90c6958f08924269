/**
 * Online backups that never leave a half-written file under the name a
 * technician (or a daily cron) will later trust:
 *   1. copy into `<target>.partial` (SQLite online backup, consistent while the daemon writes);
 *   2. open the copy and run `integrity_check`; only "ok" counts;
 *   3. fsync, rename to `<target>`, fsync the folder.
 * A kill or power cut at any step leaves at most a `.partial` file, never `<target>`.
 * With `keep`, older backups of the same series (see `backupSeries`) are then removed.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Db } from "./openDatabase.js";

export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups removed by `keep`. */
  removed: string[];
}

/** Pages copied per step (4 KiB each): the daemon keeps serving between steps. */
const PAGES_PER_STEP = 256;

export async function backupDatabase(db: Db, target: string, opts: { keep?: number } = {}): Promise<BackupResult> {
  const file = path.resolve(target);
  if (fs.existsSync(file)) {
    throw new LockerError(`backup target ${file} already exists; choose a new file name`, ErrorCode.Locker_InvalidInput, { file });
  }
  if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 1)) {
    throw new LockerError(`--keep must be a whole number of backups, 1 or more (got ${opts.keep})`, ErrorCode.Locker_InvalidInput, { field: "keep" });
  }
  const partial = `${file}.partial`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // A .partial from a backup that was killed is worthless: start again.
    fs.rmSync(partial, { force: true });
    // Created owner-only (0600, as the database: DB_FILE_MODE) before SQLite writes a byte into it: a backup holds the same personal data.
    fs.closeSync(fs.openSync(partial, "wx", 0o600));
    await db.backup(partial, { progress: () => PAGES_PER_STEP });
    verify(partial);
    syncFile(partial);
    fs.renameSync(partial, file);
    syncFile(path.dirname(file));
  } catch (err) {
    fs.rmSync(partial, { force: true });
    if (err instanceof LockerError) throw err;
    throw new LockerError(`backup to ${file} failed: ${(err as Error).message}; no backup was written`, ErrorCode.Store_Failed, { file });
  }
  const removed = opts.keep === undefined ? [] : rotate(file, opts.keep, db.name);
  return { file, bytes: fs.statSync(file).size, removed };
}

function verify(partial: string): void {
  const copy = new Database(partial, { fileMustExist: true });
  try {
    // A backup is one self-contained file: no -wal/-shm beside it when it is opened later.
    copy.pragma("journal_mode = DELETE");
    const rows = copy.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const result = rows.map((r) => r.integrity_check).join("; ");
    if (result !== "ok") throw new LockerError(`the backup copy failed its integrity check (${result}); no backup was written`, ErrorCode.Store_Corrupt, { file: partial });
  } finally {
    copy.close();
  }
}

function syncFile(p: string): void {
  const fd = fs.openSync(p, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The files in `file`'s folder that belong to its series: the same extension and the
 * same name up to the first digit (`lockerd-2026-11-29.sqlite` → `lockerd-*.sqlite`).
 * A name without a digit is a series of one.
 */
export function backupSeries(file: string): string[] {
  const dir = path.dirname(file);
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  const digit = stem.search(/\d/);
  const prefix = digit < 0 ? stem : stem.slice(0, digit);
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(ext) && n.startsWith(prefix) && (digit >= 0 || n === path.basename(file)))
    .filter((n) => digit < 0 || /\d/.test(n.slice(prefix.length, n.length - ext.length)))
    .map((n) => path.join(dir, n))
    .filter((p) => fs.statSync(p).isFile());
}

/** Keep the newest `keep` backups of the series (by modification time); never the live database. */
function rotate(file: string, keep: number, liveDb: string): string[] {
  const live = path.resolve(liveDb);
  const series = backupSeries(file)
    .filter((p) => p !== live && p !== file)
    .map((p) => ({ p, t: fs.statSync(p).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const removed = series.slice(keep - 1).map((x) => x.p);
  for (const p of removed) fs.rmSync(p, { force: true });
  return removed;
}
