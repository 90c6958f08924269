/**
 * The database, its WAL and shared-memory files and every backup are created
 * 0600 (residents' phones, names and PIN hashes), whatever the umask; a
 * database an older lockerd left readable by others (0644) is closed up at
 * the next start.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { backupDatabase } from "../../src/store/backupDatabase.js";
import { openDatabase } from "../../src/store/openDatabase.js";

const log = pino({ level: "silent" });
const mode = (f: string) => fs.statSync(f).mode & 0o777;
let dir: string;
let oldUmask: number;
afterEach(() => {
  process.umask(oldUmask);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("file modes", () => {
  it("creates the database, WAL, shm and backups 0600 under a permissive umask", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-modes-"));
    oldUmask = process.umask(0o022);
    const file = path.join(dir, "lockerd.sqlite");
    const db = openDatabase(file, log);
    db.prepare("INSERT INTO audit (time, actor_kind, actor_id, via, action, outcome) VALUES ('t', 'system', 's', 'test', 'a', 'ok')").run();
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    const backup = path.join(dir, "backups", "copy.sqlite");
    await backupDatabase(db, backup);
    expect(mode(backup)).toBe(0o600);
    db.close();
  });

  it("closes up a database and WAL left readable by others", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-modes-"));
    oldUmask = process.umask(0o022);
    const file = path.join(dir, "lockerd.sqlite");
    openDatabase(file, log).close();
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(`${file}-wal`, "", { mode: 0o644 });
    fs.chmodSync(`${file}-wal`, 0o644);
    const db = openDatabase(file, log);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    db.close();
  });
});
