/**
 * The pages' shape (issue 10 item 4, issue 14's voice seam): every page loads
 * one ES module; only api.js calls fetch, only voice.js touches speech, only
 * dom.js looks elements up by id; api.js's error codes are the server's; every
 * page file is type-checked; the modules the phone pages load stay within
 * ES2017 syntax (older WeChat in-app browsers); the rule modules are served.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { Code } from "../../src/http/public/api.js";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";

const PUBLIC = path.resolve("src/http/public");
const js = fs.readdirSync(PUBLIC).filter((f) => f.endsWith(".js"));
const src = (f: string) => fs.readFileSync(path.join(PUBLIC, f), "utf8");

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

it("each page loads one module script and no classic scripts", () => {
  for (const page of ["kiosk.html", "dropoff.html", "staff.html", "case.html"]) {
    const scripts = [...src(page).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts, page).toHaveLength(1);
    expect(scripts[0], page).toMatch(/type="module"/);
  }
});

it("only api.js fetches, only voice.js speaks, only dom.js looks up ids; every file is // @ts-check", () => {
  for (const f of js) {
    const text = src(f);
    expect(text.startsWith("// @ts-check"), `${f} starts with // @ts-check`).toBe(true);
    if (f !== "api.js") expect(text, f).not.toMatch(/\bfetch\(|XMLHttpRequest/);
    if (f !== "voice.js") expect(text, f).not.toMatch(/speechSynthesis|SpeechSynthesisUtterance|new Audio\b/);
    if (f !== "dom.js") expect(text, f).not.toMatch(/getElementById/);
    // Decisions by error code, never by HTTP status (only api.js sees HTTP) or message text.
    if (f !== "api.js") expect(text, f).not.toMatch(/\b(r|res|resp|response)\.status(Code)?\b/);
    expect(text, f).not.toMatch(/\.message\.(split|match|includes|startsWith|indexOf)|\.test\([a-z.]*message/i);
  }
});

it("api.js's error codes are the server's LockerError codes", () => {
  for (const [name, code] of Object.entries(Code)) {
    if (name === "Network") continue;
    const serverName = name === "BoardLockFault" ? "Board_LockFault" : name === "StoreUnwritable" ? "Store_Unwritable" : `Locker_${name}`;
    expect(ErrorCode[serverName as keyof typeof ErrorCode], name).toBe(code);
  }
});

/** Syntax newer than ES2017 found in a file: optional chaining, ??, optional catch binding, numeric separators. */
function newerThanEs2017(file: string): string[] {
  const sf = ts.createSourceFile(file, src(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    const at = `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n)) && n.questionDotToken) found.push(`?. at ${at}`);
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken))
      found.push(`?? at ${at}`);
    if (ts.isCatchClause(n) && !n.variableDeclaration) found.push(`catch without binding at ${at}`);
    if (ts.isNumericLiteral(n) && n.getText().includes("_")) found.push(`numeric separator at ${at}`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The modules a page loads, following its static imports (rules resolved to their compiled copies). */
function closure(entry: string): string[] {
  const seen = new Set<string>();
  const walk = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const m of src(f).matchAll(/^import [^"]*"\.\/([a-z0-9-]+\.js)";$/gm)) walk(m[1]!);
  };
  walk(entry);
  return [...seen];
}

it("the drop-off page's modules, and the rule modules it imports, stay within ES2017 syntax", async () => {
  const files = closure("dropoff.js");
  expect(files).toEqual(expect.arrayContaining(["api.js", "dom.js", "voice.js", "phrases.js", "dropoff-check.js"]));
  expect(files.flatMap(newerThanEs2017)).toEqual([]);
  // The bookmarked case page is opened in the same WeChat browser.
  const caseFiles = closure("case.js");
  expect(caseFiles).toEqual(expect.arrayContaining(["api.js", "dom.js", "voice.js", "case-text.js", "local-time.js"]));
  expect(caseFiles.flatMap(newerThanEs2017)).toEqual([]);
  for (const rule of ["phone.js", "pin.js"]) {
    const r = await t.app.inject({ url: `/assets/rules/${rule}` });
    expect(r.statusCode, rule).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(r.body).toMatch(/^export (function|const)/m);
    const sf = ts.createSourceFile(rule, r.body, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    expect(
      sf.statements.some((s) => s.kind === ts.SyntaxKind.ImportDeclaration),
      `${rule} imports nothing the page cannot load`,
    ).toBe(false);
    expect(r.body.includes("??") || r.body.includes("?.")).toBe(false);
  }
});

it("serves only compiled rule modules under /assets/rules/", async () => {
  for (const bad of ["phone.ts", "phone.js.map", "..%2Fhttp%2FstaticFiles.js", "nope.js"]) {
    const r = await t.app.inject({ url: `/assets/rules/${bad}` });
    expect(r.statusCode, bad).toBe(404);
  }
});

it("the page type-check covers every page file", () => {
  const cfg = ts.readConfigFile(path.join(PUBLIC, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, PUBLIC);
  expect(parsed.options.checkJs).toBe(true);
  expect(parsed.options.strict).toBe(true);
  const covered = parsed.fileNames.map((f) => path.basename(f));
  expect(covered.sort()).toEqual([...js].sort());
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.pretest).toMatch(/check:pages/);
  expect(pkg.scripts["check:pages"]).toBe("tsc -p src/http/public/tsconfig.json");
});
