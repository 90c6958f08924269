/**
 * The store reuses one prepared statement per SQL text and connection
 * (src/store/statements.ts): better-sqlite3 would otherwise compile a new one
 * per call and free it only when V8 collects its wrapper (soak: ~5 MB RSS).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CaseRepo } from "../../src/store/CaseRepo.js";
import { statement } from "../../src/store/statements.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import pino from "pino";

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tempDb(name = "l.sqlite"): Database.Database {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-stmt-"));
  return new Database(path.join(dir, name));
}

describe("prepared statements", () => {
  it("are compiled once per SQL text and connection, and still answer with current data", () => {
    const a = tempDb("a.sqlite");
    const b = tempDb("b.sqlite");
    for (const db of [a, b]) db.exec("CREATE TABLE t (x INTEGER)");
    const s1 = statement(a, "SELECT count(*) AS n FROM t");
    expect(statement(a, "SELECT count(*) AS n FROM t")).toBe(s1);
    expect(statement(b, "SELECT count(*) AS n FROM t")).not.toBe(s1);
    statement(a, "INSERT INTO t (x) VALUES (?)").run(1);
    statement(a, "INSERT INTO t (x) VALUES (?)").run(2);
    expect(statement(a, "SELECT count(*) AS n FROM t").get()).toEqual({ n: 2 });
    expect(statement(b, "SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
    a.close();
    b.close();
  });

  it("keep at most 256 SQL texts per connection, dropping the least recently used", () => {
    const db = tempDb();
    const first = statement(db, "SELECT 0");
    const kept = statement(db, "SELECT 1");
    for (let i = 2; i <= 256; i++) {
      statement(db, `SELECT ${i}`);
      if (i % 50 === 0) statement(db, "SELECT 1"); // used recently: survives
    }
    expect(statement(db, "SELECT 1")).toBe(kept);
    expect(statement(db, "SELECT 0")).not.toBe(first);
    db.close();
  });

  it("a repository compiles its SQL on first use only, however often it is called", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-stmt-"));
    const db = openDatabase(path.join(dir, "lockerd.sqlite"), pino({ level: "silent" }));
    const prepare = vi.spyOn(db, "prepare");
    const cases = new CaseRepo(db);
    for (let i = 0; i < 500; i++) expect(cases.get(`missing-${i}`)).toBeUndefined();
    expect(prepare).toHaveBeenCalledTimes(1);
    db.close();
  });
});
