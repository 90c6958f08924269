import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");
/** Statement preparation, raw SQL runs and pragmas: the calls that put SQL text in a file. */
const SQL_CALL = /\.(prepare|pragma)\(|\bdb\.exec\(|\b(SELECT|INSERT|UPDATE|DELETE)\s+(\*|1\b|INTO|FROM|OR\b|count\(|[a-z_]+,)/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("all SQL lives in src/store/", () => {
  it("no module outside store/ prepares or runs SQL", () => {
    const offenders = files(SRC)
      .map((f) => path.relative(SRC, f))
      .filter((rel) => !rel.startsWith(`store${path.sep}`))
      .filter((rel) => SQL_CALL.test(fs.readFileSync(path.join(SRC, rel), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("would notice SQL (the pattern is not blind)", () => {
    expect(SQL_CALL.test(`db.prepare("SELECT 1").get()`)).toBe(true);
    expect(SQL_CALL.test(`"INSERT OR IGNORE INTO mqtt_command (id) VALUES (?)"`)).toBe(true);
    expect(SQL_CALL.test(`this.db.exec("BEGIN")`)).toBe(true);
    expect(SQL_CALL.test(`const m = /^tcp:/.exec(spec);`)).toBe(false);
  });
});
