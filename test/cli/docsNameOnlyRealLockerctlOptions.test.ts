/**
 * Every `lockerctl <command> --option` written in the docs exists: the command
 * is one lockerctl has and each option is one that command takes (or is a
 * global option). A reader copies these lines onto a locker; an option that was
 * renamed or never existed only shows up there, as "unknown option".
 *
 * Checked in-process against the very command tree lockerctl parses argv with
 * (`buildProgram()`), not by spawning lockerctl once per command.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program.js";

const ROOT = new URL("../../", import.meta.url).pathname;

const DOCS = [
  "README.md",
  "config/README.md",
  "config/DEPLOY.md",
  "config/DEPLOY-REMOTE.md",
  "src/http/README.md",
  "src/http/admin/ADMIN_API.md",
  "src/http/public/voice/README.md",
  "src/locker/RECONCILIATION.md",
  "src/mqtt/MQTT_CONTRACT.md",
  ...readdirSync(path.join(ROOT, "hardware"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `hardware/${f}`),
];

/** Option names (`--port`, `-c`) a command takes, with the `-h, --help` every command has. */
function optionsOf(cmd: Command): Set<string> {
  return new Set(["-h", "--help", ...cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x))]);
}

/** A command's subcommands by name and alias. */
function subcommandsOf(cmd: Command): Map<string, Command> {
  return new Map(cmd.commands.flatMap((c) => [c.name(), ...c.aliases()].map((n) => [n, c] as const)));
}

interface Use {
  file: string;
  line: number;
  text: string;
  command: string[];
  options: string[];
}

/** `lockerctl …` up to the end of the code span, a comment, a table cell or the line. */
function usesIn(file: string, globalsTakingValue: Set<string>, program: Command): Use[] {
  const topCommands = subcommandsOf(program);
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
        // Descend `staff add`, `voice list`, …: a lower-case word right after a command that has subcommands names one.
        const command = [name];
        let cmd = topCommands.get(name)!;
        while (cmd.commands.length && words[k + command.length] && /^[a-z]+$/.test(words[k + command.length]!)) {
          const sub = words[k + command.length]!;
          command.push(sub);
          const next = subcommandsOf(cmd).get(sub);
          if (!next) break;
          cmd = next;
        }
        const options = [
          ...leadingGlobals,
          ...words
            .slice(k + command.length)
            .filter((w) => /^--?[a-z][a-z-]*(=.*)?$/.test(w))
            .map((w) => w.split("=")[0]!),
        ];
        uses.push({ file, line: i + 1, text: m[0], command, options });
      }
    });
  return uses;
}

describe("the docs name only lockerctl commands and options that exist", () => {
  it("every `lockerctl <command> --option` in README, DEPLOY, DEPLOY-REMOTE, COMMISSIONING, the voice README and the contracts is accepted", () => {
    const program = buildProgram();
    const globals = optionsOf(program);
    expect(subcommandsOf(program).has("probe") && globals.has("--socket")).toBe(true);
    const globalsTakingValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)));
    expect([...globalsTakingValue].sort()).toEqual(["--config", "--socket", "-c"]);

    const problems: string[] = [];
    let checked = 0;
    for (const file of DOCS) {
      for (const use of usesIn(file, globalsTakingValue, program)) {
        let known = globals;
        if (use.command.length) {
          // Walk the words down the tree; a word that names no subcommand is a doc naming a command that does not exist.
          let cmd: Command | undefined = program;
          for (const word of use.command) cmd = cmd && subcommandsOf(cmd).get(word);
          if (!cmd) {
            problems.push(`${use.file}:${use.line}: \`${use.text}\`: no such command`);
            continue;
          }
          known = new Set([...globals, ...optionsOf(cmd)]);
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
