/**
 * Every `lockerctl <command> --option` written in the docs exists: the command
 * is one lockerctl has and each option is in that command's `--help` (or is a
 * global option). A reader copies these lines onto a locker; an option that was
 * renamed or never existed only shows up there, as "unknown option".
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const LOCKERCTL = path.join(ROOT, "dist/src/cli/lockerctl.js");

const DOCS = [
  "README.md",
  "config/README.md",
  "config/DEPLOY.md",
  "src/http/README.md",
  "src/http/admin/ADMIN_API.md",
  "src/mqtt/MQTT_CONTRACT.md",
  ...readdirSync(path.join(ROOT, "hardware"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `hardware/${f}`),
];

function help(args: string[]): string {
  return execFileSync(process.execPath, [LOCKERCTL, ...args, "--help"], { encoding: "utf8", env: { ...process.env, LOCKERD_ADMIN_SOCKET: "/nonexistent/admin.sock" } });
}

/** Option names (`--port`, `-c`) in the Options section of a help text. */
function optionsOf(text: string): Set<string> {
  const section = text.split(/\n(?:Options|Commands):\n/)[1] ?? "";
  return new Set([...section.matchAll(/(?:^|\s|,)(--?[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

/** Command names in the Commands section of a help text. */
function commandsOf(text: string): Set<string> {
  const section = text.split(/\nCommands:\n/)[1] ?? "";
  return new Set([...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

interface Use {
  file: string;
  line: number;
  text: string;
  command: string[];
  options: string[];
}

/** `lockerctl …` up to the end of the code span, a comment, a table cell or the line. */
function usesIn(file: string, globalsTakingValue: Set<string>, topCommands: Set<string>): Use[] {
  const uses: Use[] = [];
  readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .forEach((lineText, i) => {
      for (const m of lineText.matchAll(/lockerctl((?:\s+[^`#|\s]+)*)/g)) {
        const words = m[1]!.trim().split(/\s+/).filter(Boolean);
        if (words[0] === "--") words.shift(); // `npm run lockerctl -- …`
        let k = 0;
        while (k < words.length && words[k]!.startsWith("-")) k += globalsTakingValue.has(words[k]!) ? 2 : 1;
        const leadingGlobals = words.slice(0, k).filter((w) => w.startsWith("-"));
        const name = words[k];
        if (name === undefined || !topCommands.has(name)) {
          if (leadingGlobals.length) uses.push({ file, line: i + 1, text: m[0], command: [], options: leadingGlobals });
          continue;
        }
        const command = [name];
        if ((name === "staff" || name === "config") && words[k + 1] && /^[a-z]+$/.test(words[k + 1]!)) command.push(words[k + 1]!);
        const options = [...leadingGlobals, ...words.slice(k + command.length).filter((w) => /^--?[a-z][a-z-]*(=.*)?$/.test(w)).map((w) => w.split("=")[0]!)];
        uses.push({ file, line: i + 1, text: m[0], command, options });
      }
    });
  return uses;
}

describe("the docs name only lockerctl commands and options that exist", () => {
  it("every `lockerctl <command> --option` in README, DEPLOY, COMMISSIONING and the contracts is accepted", () => {
    if (!existsSync(LOCKERCTL)) throw new Error(`${LOCKERCTL} missing: run npm run build first`);
    const rootHelp = help([]);
    const globals = optionsOf(rootHelp);
    const topCommands = commandsOf(rootHelp);
    expect(topCommands.has("probe") && globals.has("--socket"), rootHelp).toBe(true);
    const globalsTakingValue = new Set(["--socket", "--config", "-c"]);

    const helpCache = new Map<string, { options: Set<string>; commands: Set<string> }>();
    const problems: string[] = [];
    let checked = 0;
    for (const file of DOCS) {
      for (const use of usesIn(file, globalsTakingValue, topCommands)) {
        let known = globals;
        if (use.command.length) {
          const key = use.command.join(" ");
          if (!helpCache.has(key)) {
            const text = help(use.command);
            helpCache.set(key, { options: optionsOf(text), commands: commandsOf(text) });
          }
          const h = helpCache.get(key)!;
          if (use.command.length === 2 && !commandsOf(help([use.command[0]!])).has(use.command[1]!)) problems.push(`${use.file}:${use.line}: \`${use.text}\`: no such command`);
          known = new Set([...globals, ...h.options]);
        }
        for (const o of use.options) {
          checked++;
          if (!known.has(o)) problems.push(`${use.file}:${use.line}: \`${use.text}\`: lockerctl ${use.command.join(" ")} has no ${o}`);
        }
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
    // the scan really read the commissioning and deployment commands
    expect(checked).toBeGreaterThan(20);
  }, 120_000); // one `lockerctl --help` a command (~0.6 s each, more on a loaded machine)
});
