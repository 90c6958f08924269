/**
 * Issue 9, item 5: `lockerctl backup` writes `<file>.partial`, checks it with
 * integrity_check and only then renames it; a daemon killed mid-backup leaves
 * nothing under the final name (a daily cron would otherwise keep an empty
 * "backup"); `--keep N` rotates the series and never touches the live database.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/openDatabase.js";
import { backupDatabase, backupSeries } from "../../src/store/backupDatabase.js";
import { createLogger } from "../../src/util/logger.js";
import { LOCKERCTL, requireBuild, startLockerd, type LockerdProcess } from "../e2e/support/processes.js";

const log = createLogger({ level: "silent", pretty: false });
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-backup-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function integrity(file: string): string {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

function ctl(socket: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [LOCKERCTL, "--socket", socket, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("backups", () => {
  it("are verified, renamed into place, and --keep keeps the newest N of the series only", async () => {
    const data = path.join(dir, "rotate");
    const db = openDatabase(path.join(data, "lockerd.sqlite"), log);
    try {
      const backups = path.join(data, "backups");
      fs.mkdirSync(backups);
      // five older backups of the series, a day apart, plus files that are not part of it
      for (let d = 1; d <= 5; d++) {
        const f = path.join(backups, `lockerd-2026-11-0${d}.sqlite`);
        await db.backup(f);
        const t = new Date(`2026-11-0${d}T03:00:00Z`);
        fs.utimesSync(f, t, t);
      }
      fs.writeFileSync(path.join(backups, "notes.txt"), "keep me");
      fs.writeFileSync(path.join(backups, "lockerd-manual.sqlite"), "not a dated backup");
      const r = await backupDatabase(db, path.join(backups, "lockerd-2026-11-29.sqlite"), { keep: 3 });
      expect(integrity(r.file)).toBe("ok");
      expect(fs.existsSync(`${r.file}.partial`)).toBe(false);
      expect(fs.existsSync(`${r.file}-wal`), "a backup is one file").toBe(false);
      expect(r.removed.map((f) => path.basename(f)).sort()).toEqual(["lockerd-2026-11-01.sqlite", "lockerd-2026-11-02.sqlite", "lockerd-2026-11-03.sqlite"]);
      expect(fs.readdirSync(backups).sort()).toEqual(["lockerd-2026-11-04.sqlite", "lockerd-2026-11-05.sqlite", "lockerd-2026-11-29.sqlite", "lockerd-manual.sqlite", "notes.txt"]);
      expect(backupSeries(r.file)).toHaveLength(3);
      // a backup into the data folder itself never rotates the live database away
      const inData = await backupDatabase(db, path.join(data, "lockerd1.sqlite"), { keep: 1 });
      expect(inData.removed).toEqual([]);
      expect(fs.existsSync(db.name)).toBe(true);
      // an existing target is refused, untouched
      await expect(backupDatabase(db, r.file)).rejects.toMatchObject({ code: 306 });
    } finally {
      db.close();
    }
  });

  it("a daemon SIGKILLed mid-backup leaves no file under the final name; the next backup to that name succeeds", { timeout: 120_000 }, async () => {
    requireBuild();
    const data = path.join(dir, "kill", "data");
    // A locker with a long history: ~33 MB so the copy takes many steps.
    const seed = openDatabase(path.join(data, "lockerd.sqlite"), log);
    seed.exec("CREATE TABLE test_filler (b BLOB)");
    const insert = seed.prepare("INSERT INTO test_filler VALUES (randomblob(65536))");
    seed.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run();
    })();
    seed.close();
    const config = path.join(dir, "kill", "config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        lockerId: "backup-kill",
        dataDir: "./data",
        bus: { transport: "sim" },
        simulator: { controlPort: 0 },
        http: { host: "127.0.0.1", port: 0, kioskPort: 0 },
        mqtt: { url: "off" },
        pins: { scryptCost: 1024 },
      }),
    );
    const socket = path.join(data, "admin.sock");
    const target = path.join(data, "backups", "lockerd-2026-11-29.sqlite");
    fs.mkdirSync(path.dirname(target));

    let daemon: LockerdProcess = await startLockerd(config);
    try {
      // Kill the daemon the moment the copy exists on disk (it is still being written or checked).
      const killed = new Promise<void>((resolve) => {
        const watcher = fs.watch(path.dirname(target), () => {
          if (fs.existsSync(`${target}.partial`)) {
            daemon.proc.kill("SIGKILL");
            watcher.close();
            resolve();
          }
        });
      });
      const backup = ctl(socket, "backup", target);
      await killed;
      const r = await backup;
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
      await daemon.stop();
      expect(fs.existsSync(target), "a file under the final name after a kill").toBe(false);

      daemon = await startLockerd(config);
      const again = await ctl(socket, "--json", "backup", target, "--keep", "2");
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ file: target });
      expect(integrity(target)).toBe("ok");
      expect(fs.existsSync(`${target}.partial`)).toBe(false);
      const bad = await ctl(socket, "backup", path.join(data, "backups", "x1.sqlite"), "--keep", "0");
      expect(bad.code).toBe(2);
    } finally {
      await daemon.stop();
    }
  });
});
