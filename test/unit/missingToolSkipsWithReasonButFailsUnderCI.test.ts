import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findTool, requireTool } from "../support/tools.js";

const TEST_ROOT = path.resolve(import.meta.dirname, "..");
/** PATH with only the folders the helper searches anyway (a tool named like this exists nowhere). */
const NOWHERE = "lockerd-no-such-tool-4f1c";

describe("requireTool: a missing system tool is a printed skip on a laptop and a failure under CI", () => {
  afterEach(() => vi.restoreAllMocks());

  it("finds an installed tool on PATH and answers true without printing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(findTool("sh")).toMatch(/\/sh$/);
    expect(requireTool("sh", "a shell test", { PATH: process.env.PATH })).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it("without CI: answers false and prints which tool is missing and the package that brings it", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(requireTool(["sh", NOWHERE], "the widget tests", { PATH: "/nonexistent" })).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(new RegExp(`SKIPPED: the widget tests need ${NOWHERE}, .*apt-get install ${NOWHERE}`));
  });

  it("under CI: throws (the suite fails) instead of skipping", () => {
    expect(() => requireTool(NOWHERE, "the widget tests", { PATH: "/nonexistent", CI: "1" })).toThrow(/not installed/);
  });

  it("no test in the suite silently returns when a tool or browser is missing", () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : []));
    // A test body (it(...) or a harness testBody) whose first statements bail out on a flag: it would pass without running.
    const silent = /(\bit(\.\w+)*\([^\n]*|testBody: async[^\n]*)\n(\s*(const|let) \w+ = [^\n]*\n)?\s*if \(!\w+\) return;/;
    const offenders = files(TEST_ROOT).filter((f) => silent.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(TEST_ROOT, f))).toEqual([]);
    expect(silent.test(`  it("x", async () => {\n    if (!ok) return;\n`)).toBe(true);
    expect(silent.test(`    testBody: async (h) => {\n      const browser = await launch();\n      if (!browser) return;\n`)).toBe(true);
  });
});
