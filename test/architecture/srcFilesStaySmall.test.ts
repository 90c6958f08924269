/**
 * Small files, one job each (issue 10): no source file under src/ (TypeScript
 * and the pages' JavaScript) over 300 lines, and the core's facade
 * `LockerService.ts` at most 150 — it only wires the desks and forwards.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");
const MAX_LINES = 300;
const FACADE_MAX_LINES = 150;

/** Every .ts and .js file under `dir`, absolute. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Lines as `wc -l` counts them (a final newline does not start a line). */
function lineCount(file: string): number {
  const text = fs.readFileSync(file, "utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

describe("src/ files stay small", () => {
  it(`no file in src/ is over ${MAX_LINES} lines`, () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const big = files.map((f) => ({ file: path.relative(SRC, f), lines: lineCount(f) })).filter((f) => f.lines > MAX_LINES);
    expect(big).toEqual([]);
  });

  it(`LockerService.ts, the core's facade, is at most ${FACADE_MAX_LINES} lines`, () => {
    expect(lineCount(path.join(SRC, "locker/LockerService.ts"))).toBeLessThanOrEqual(FACADE_MAX_LINES);
  });
});
