/**
 * Notices when the database's files are deleted under the running daemon
 * (a technician's `rm`, a cleanup script, a bad restore). SQLite keeps writing
 * into the unlinked inode and nothing looks wrong until the next power cut,
 * when the history in it is gone (a young locker's whole history lives in the
 * WAL until the first checkpoint).
 *
 * Linux shows a deleted-but-open file as "<path> (deleted)" in /proc/self/fd.
 * A lost WAL is repaired in place: `journal_mode = DELETE` checkpoints the open
 * WAL into the main file, `journal_mode = WAL` starts a new one on disk. A lost
 * main file cannot be repaired from here: stay not ready, alarm, and tell the
 * technician to take a `lockerctl backup` (it reads through the open handle).
 */
import fs from "node:fs";
import type { Db } from "./openDatabase.js";

export interface FileLoss {
  /** "wal" (repaired when `repaired`) or "database" (the main file; not repairable in place). */
  lost: "wal" | "database";
  repaired: boolean;
  message: string;
}

/** Paths of files this process holds open that were deleted (Linux; empty elsewhere). */
function deletedOpenFiles(): string[] {
  let fds: string[];
  try {
    fds = fs.readdirSync("/proc/self/fd");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.endsWith(" (deleted)")) out.push(target.slice(0, -" (deleted)".length));
    } catch {
      // the fd closed between readdir and readlink
    }
  }
  return out;
}

export class DatabaseFileWatch {
  private timer?: NodeJS.Timeout;
  private mainLost?: FileLoss;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly onLoss: (loss: FileLoss) => void,
  ) {}

  /** Check every `intervalMs` (10 s: cheap, a few readlinks). */
  start(intervalMs = 10_000): void {
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The unrepaired loss, if any (for /readyz). */
  get problem(): string | undefined {
    return this.mainLost?.message;
  }

  /** Look now; returns what was found (and reported) this time. */
  check(): FileLoss | undefined {
    if (this.mainLost) return undefined; // reported once; stays not ready until restarted on a restored file
    const deleted = deletedOpenFiles();
    const mainGone = deleted.includes(this.file) || (!fs.existsSync(this.file) && this.file !== ":memory:");
    if (mainGone) {
      this.mainLost = {
        lost: "database",
        repaired: false,
        message: `database file ${this.file} was deleted while lockerd runs; its data lives only in this process now: run 'lockerctl backup <file>' at once, then stop lockerd, restore that backup to ${this.file} and start again`,
      };
      this.onLoss(this.mainLost);
      return this.mainLost;
    }
    if (!deleted.includes(`${this.file}-wal`)) return undefined;
    let loss: FileLoss;
    try {
      this.db.pragma("journal_mode = DELETE"); // checkpoint the unlinked WAL into the main file
      this.db.pragma("journal_mode = WAL");
      loss = {
        lost: "wal",
        repaired: true,
        message: `the write-ahead log ${this.file}-wal was deleted while lockerd ran; its content was saved into the database and a new log started`,
      };
    } catch (err) {
      this.mainLost = {
        lost: "wal",
        repaired: false,
        message: `the write-ahead log ${this.file}-wal was deleted and could not be saved (${(err as Error).message}): run 'lockerctl backup <file>' at once and restore it`,
      };
      loss = this.mainLost;
    }
    this.onLoss(loss);
    return loss;
  }
}
