/**
 * A database that is missing or empty in a data folder that shows this locker
 * has run before (its device secret, its command secret, backups) is a loss,
 * not a first start: creating a fresh database would bring the locker up as a
 * new one with every case gone (seen after a lost WAL and a power cut).
 * Check before anything opens (and so creates) the file; touch nothing.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** Files a locker leaves in its data folder once it has run. */
const TRACES = ["device-secret", "mqtt-command-secret", "backups"];

function nonEmpty(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? fs.readdirSync(p).length > 0 : st.size > 0;
  } catch {
    return false;
  }
}

/** Why `file` holds no locker yet ("missing", "empty", "no tables"), or undefined when it holds one. */
export function emptyDatabaseReason(file: string): string | undefined {
  if (!fs.existsSync(file)) return "missing";
  // A 0-byte main file with a non-empty WAL is a young locker whose history is all in the WAL: fine.
  if (fs.statSync(file).size === 0) return nonEmpty(`${file}-wal`) ? undefined : "empty (0 bytes)";
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = db.pragma("user_version", { simple: true }) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
    return version === 0 && tables === 0 ? "empty (no tables)" : undefined;
  } catch {
    return undefined; // unreadable or damaged: openDatabase's integrity check says so
  } finally {
    db?.close();
  }
}

/** Throws `Store_Lost` when `file` is missing or empty but `dataDir` shows a locker that ran before. */
export function refuseSilentReset(dataDir: string, file: string): void {
  const why = emptyDatabaseReason(file);
  if (!why) return;
  const traces = TRACES.filter((t) => nonEmpty(path.join(dataDir, t)));
  if (traces.length === 0) return; // a genuine first start
  throw new LockerError(
    `database ${file} is ${why}, but ${dataDir} belongs to a locker that has run before (${traces.join(", ")} present). ` +
      `lockerd will not start as a new, empty locker and has changed nothing. Restore the last backup: ` +
      `copy it to ${file} (owner lockerd) and start again (config/DEPLOY.md §6). Only to really start over as a new locker, move ${dataDir} aside.`,
    ErrorCode.Store_Lost,
    { file, traces },
  );
}
