/**
 * Open (or create) the daemon's SQLite file: check it, migrate it, and hand
 * back the handle. A damaged database or one written by a newer lockerd
 * stops the daemon with a clear message; it is never silently reset.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Logger } from "../util/logger.js";
import type { Migration } from "./Migration.js";
import { MIGRATIONS } from "./migrations/index.js";
import { isStorageFailure } from "./storageFailure.js";

export type Db = Database.Database;

/**
 * Open `file`, run `integrity_check`, apply pending migrations (each in its own
 * transaction together with the `user_version` bump) and set the pragmas.
 * Throws `Store_Corrupt`, `Store_TooNew`, `Store_Failed`, or `Store_Unwritable`
 * when the disk refuses (full: a full disk is not a damaged database, and
 * "restore a backup" would be the wrong advice).
 */
export function openDatabase(file: string, log: Logger, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ":memory:") {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    ownerOnly(file);
  }
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new LockerError(`cannot open database ${file}: ${(err as Error).message}`, ErrorCode.Store_Failed, { file });
  }
  try {
    checkIntegrity(db, file);
    // Before any pragma writes to the file: a newer schema is refused untouched.
    const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
    checkVersion(db, file, known);
    db.pragma("journal_mode = WAL");
    // FULL: in WAL mode NORMAL may lose the last commits on a power cut. Every
    // commit here is a door or case decision the resident relies on, and they
    // are few (tens a day), so we pay one fsync per commit.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db, file, migrations, log);
    return db;
  } catch (err) {
    db.close();
    throw isStorageFailure(err) && !(err instanceof LockerError) ? unwritable(file, err) : err;
  }
}

/** Residents' phones, names and PIN hashes: the file is the owner's alone (0600). */
export const DB_FILE_MODE = 0o600;

/**
 * Create `file` 0600 if missing, and close up an existing database, WAL or
 * shared-memory file that others could read (lockerd before 0.2 left 0644).
 * SQLite gives the -wal and -shm files it creates the database file's mode.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, "a", DB_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, DB_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

function checkIntegrity(db: Db, file: string): void {
  let result: string;
  try {
    // better-sqlite3 defaults to a 16 MB page cache and quick_check reads every
    // page: cap it first (connection-only, nothing is written; on a damaged
    // file this is already where it fails). Our queries touch a few pages each
    // (indexed lookups, appends), and a page not cached is a read from the
    // kernel's file cache: 1 MB (250 pages) ran the soak as fast as 4 MB
    // (8.2 stories/s) with ~2.5 MB less RSS; glibc does not give the cache's
    // memory back to the OS once it has filled.
    db.pragma("cache_size = -1000");
    result = (db.pragma("quick_check", { simple: true }) as string) ?? "";
  } catch (err) {
    if (isStorageFailure(err)) throw unwritable(file, err);
    throw corrupt(file, (err as Error).message);
  }
  if (result !== "ok") throw corrupt(file, result);
}

function corrupt(file: string, why: string): LockerError {
  return new LockerError(
    `database ${file} is damaged (${why}). lockerd will not start on it and will not reset it: ` +
      `stop the daemon, keep a copy of the file, and restore the last backup (lockerctl backup) or move it aside to start empty.`,
    ErrorCode.Store_Corrupt,
    { file },
  );
}

/** The disk refused (SQLITE_FULL, SQLITE_IOERR…): say that, and what to do, without touching the file. */
function unwritable(file: string, err: unknown): LockerError {
  const code = String((err as { code?: unknown }).code);
  return new LockerError(
    `the disk holding database ${file} refuses it (${code}: ${(err as Error).message}): it is full or failing. ` +
      `Free space in that folder (old backups, logs) and start again; the database was left untouched. If it persists with free space, the disk is failing: copy the data folder elsewhere.`,
    ErrorCode.Store_Unwritable,
    { file, storage: code },
  );
}

function checkVersion(db: Db, file: string, known: number): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > known) {
    throw new LockerError(
      `database ${file} has schema version ${current} but this lockerd knows only up to ${known}: ` +
        `it was written by a newer lockerd. Install that version again (downgrades are not supported).`,
      ErrorCode.Store_TooNew,
      { file, version: current, known },
    );
  }
}

function migrate(db: Db, file: string, migrations: readonly Migration[], log: Logger): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    const step = db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step();
    } catch (err) {
      if (isStorageFailure(err)) throw unwritable(file, err);
      throw new LockerError(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, ErrorCode.Store_Failed, { file, version: m.version });
    }
    log.info({ version: m.version, name: m.name }, "database migrated");
  }
}
