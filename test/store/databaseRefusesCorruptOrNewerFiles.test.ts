import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import pino from "pino";
import { openDatabase } from "../../src/store/openDatabase.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";

const log = pino({ level: "silent" });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-store-"));

describe("opening the database", () => {
  it("migrates a new file to the latest version with WAL, FULL sync and foreign keys, and reopens without re-running steps", () => {
    const file = path.join(tmp(), "l.sqlite");
    const db = openDatabase(file, log);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    db.prepare("INSERT INTO counter (name, value) VALUES ('x', 1)").run();
    db.close();
    const again = openDatabase(file, log);
    expect((again.prepare("SELECT value FROM counter WHERE name = 'x'").get() as { value: number }).value).toBe(1);
    again.close();
  });

  it("refuses a file written by a newer lockerd, and leaves it untouched", () => {
    const file = path.join(tmp(), "l.sqlite");
    const raw = new Database(file);
    raw.pragma("user_version = 99");
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file, log)).toThrow(expect.objectContaining({ code: ErrorCode.Store_TooNew, message: expect.stringMatching(/newer lockerd/) }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses a damaged file with a clear message and never resets it", () => {
    const file = path.join(tmp(), "l.sqlite");
    const db = openDatabase(file, log);
    const ins = db.prepare("INSERT INTO counter (name, value) VALUES (?, ?)");
    for (let i = 0; i < 2000; i++) ins.run(`k${i}`, i);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const bytes = fs.readFileSync(file);
    // scribble over the middle pages (not the header): the b-trees no longer add up
    for (let i = 4096 * 2; i < bytes.length - 4096; i += 97) bytes[i] = 0xa5;
    fs.writeFileSync(file, bytes);
    expect(() => openDatabase(file, log)).toThrow(expect.objectContaining({ code: ErrorCode.Store_Corrupt, message: expect.stringMatching(/damaged.*will not reset/) }));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it("a failing migration rolls back completely (schema and version)", () => {
    const file = path.join(tmp(), "l.sqlite");
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: "broken",
        up(d: Database.Database) {
          d.exec("CREATE TABLE half_done (x INTEGER)");
          throw new Error("boom");
        },
      },
    ];
    expect(() => openDatabase(file, log, broken)).toThrow(expect.objectContaining({ code: ErrorCode.Store_Failed }));
    const raw = new Database(file);
    expect(raw.pragma("user_version", { simple: true })).toBe(1);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    raw.close();
  });
});
