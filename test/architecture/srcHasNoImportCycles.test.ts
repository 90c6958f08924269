/**
 * The layers of src/ import downwards only: no file may reach itself through
 * its imports — `import type` and `export … from` included, since a type
 * cycle ties two files together as firmly as a value one (issue 10).
 * The graph is read statically with TypeScript's own pre-processor, so it
 * sees exactly the module specifiers the compiler sees.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

/** Every .ts file under `dir`, absolute. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Relative specifiers of one file (static imports, `import type`, re-exports, dynamic `import()`), resolved to .ts files. */
function importsOf(file: string, text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith("."))
    .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, ".ts")));
}

/** The import graph of `files` (edges only to files in the set). */
function importGraph(files: Array<{ file: string; text: string }>): Map<string, string[]> {
  const known = new Set(files.map((f) => f.file));
  return new Map(files.map((f) => [f.file, importsOf(f.file, f.text).filter((t) => known.has(t))]));
}

/** Every elementary cycle found by a depth-first walk, each reported once as a path a → … → a. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, "active");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "active") cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

describe("src/ has no import cycle", () => {
  it("the walk sees a cycle made only of type imports and re-exports (so a clean result means something)", () => {
    const graph = importGraph([
      { file: "/x/a.ts", text: `import type { B } from "./b.js";\nexport type A = B;` },
      { file: "/x/b.ts", text: `export { C } from "./c.js";\nexport type B = number;` },
      { file: "/x/c.ts", text: `import { type A } from "./a.js";\nexport const C = 1 as unknown as A;` },
      { file: "/x/d.ts", text: `import { C } from "./c.js";` },
    ]);
    expect(findCycles(graph)).toEqual([["/x/a.ts", "/x/b.ts", "/x/c.ts", "/x/a.ts"]]);
  });

  it("no file under src/ reaches itself through its imports, type imports included", () => {
    const files = tsFiles(SRC).map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
    expect(files.length).toBeGreaterThan(50);
    const cycles = findCycles(importGraph(files)).map((c) => c.map((f) => path.relative(SRC, f)).join(" → "));
    expect(cycles).toEqual([]);
  });
});
