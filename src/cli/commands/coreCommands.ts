import type { Command } from "commander";
import { daemon, globals, runAction } from "../CliContext.js";
import { escapeControls, formatTable, printJson, writeOut, writeErr } from "../output.js";
import { wholeNumber } from "../wholeNumber.js";
import { ExitCode } from "../exitCodes.js";
import type { AuditEntry, CaseView } from "../../locker/LockerApi.js";
import type { CompartmentSnapshot } from "../../locker/events.js";
import { ALL_CASE_STATES } from "../../locker/caseMachine.js";
import { daemonTimeZone, tableTime } from "../localTimes.js";

function print<T>(cmd: Command, value: T, human: (v: T) => string): void {
  if (globals(cmd).json) printJson(value);
  else writeOut(human(value) + "\n");
}

function usage(message: string): ExitCode {
  writeErr(`error: ${message}\n`);
  return ExitCode.Usage;
}

const caseColumns = (tz: string) => [
  { header: "NUMBER", value: (c: CaseView) => c.number },
  { header: "STATE", value: (c: CaseView) => c.state + (c.overdue ? " (overdue)" : "") },
  { header: "DOOR", value: (c: CaseView) => c.compartment ?? "", align: "right" as const },
  { header: "MATTER", value: (c: CaseView) => c.matter },
  { header: "PHONE", value: (c: CaseView) => c.phone },
  { header: "CREATED", value: (c: CaseView) => tableTime(c.createdAt, tz) },
  { header: "ID", value: (c: CaseView) => c.id },
];

/** cases, case, events, disable, enable, backup: the locker core over the admin socket. Owned by B. */
export function registerCoreCommands(program: Command): void {
  program
    .command("cases")
    .description("list cases, newest first")
    .option("--state <state>", `only cases in this state (${ALL_CASE_STATES.join(", ")})`)
    .option("--limit <n>", "at most this many", "100")
    .action(async (opts: { state?: string; limit: string }, cmd: Command) =>
      runAction(cmd, async () => {
        if (opts.state && !ALL_CASE_STATES.includes(opts.state as never)) return usage(`unknown state "${opts.state}"; use one of ${ALL_CASE_STATES.join(", ")}`);
        if (!/^\d+$/.test(opts.limit)) return usage("--limit takes a whole number");
        const q = new URLSearchParams({ limit: opts.limit, ...(opts.state ? { state: opts.state } : {}) });
        const rows = await daemon(cmd).request<CaseView[]>("GET", `/admin/cases?${q}`);
        const tz = globals(cmd).json ? "UTC" : await daemonTimeZone(cmd);
        print(cmd, rows, (r) => (r.length ? formatTable(r, caseColumns(tz)) : "no cases"));
      }),
    );

  program
    .command("case <id>")
    .description("show one case by id or case number (e.g. A27), with the full phone (the view is audited) and its audit trail")
    .option("--as <name>", "who is looking, for the audit trail", "technician")
    .action(async (id: string, opts: { as: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const c = await daemon(cmd).request<CaseView>("GET", `/admin/cases/${encodeURIComponent(id)}?${new URLSearchParams({ as: opts.as })}`);
        const trail = await daemon(cmd).request<AuditEntry[]>("GET", `/admin/events?caseId=${encodeURIComponent(c.id)}&limit=1000&order=oldest`);
        const tz = globals(cmd).json ? "UTC" : await daemonTimeZone(cmd);
        print(cmd, { ...c, audit: trail }, (v) => {
          const fields: [string, unknown][] = [
            ["case", `${v.number} (${v.id})`],
            ["state", v.state + (v.overdue ? " — overdue" : "")],
            ["matter", v.matter],
            ["phone", v.phone],
            ["name", v.name ?? ""],
            ["note", v.note ?? ""],
            ["door", v.compartment ?? ""],
            ["created", tableTime(v.createdAt, tz)],
            ["ready", tableTime(v.readyAt, tz)],
            ["closed", tableTime(v.closedAt, tz)],
            ["wrong PINs", v.failedPinAttempts],
          ];
          return fields.map(([k, val]) => `${k.padEnd(11)} ${escapeControls(String(val))}`).join("\n") + "\n\n" + auditTable(v.audit, tz);
        });
      }),
    );

  program
    .command("events")
    .description("read the audit trail (every action, door opening and alarm), newest first")
    .option("--tail <n>", "the newest n entries", "50")
    .option("--since <time>", "only entries at or after this ISO time, e.g. 2026-11-27T08:00:00Z")
    .option("--before <seq>", "page back: only entries older than this sequence number (the last SEQ of the previous page)")
    .option("--since-seq <n>", "only entries after this sequence number")
    .option("--limit <n>", "same as --tail (kept for scripts)")
    .addHelpText(
      "after",
      "\nExamples:\n  lockerctl events                       # the 50 newest\n  lockerctl events --tail 200 --since 2026-11-27T08:00:00Z\n  lockerctl events --before 6960          # the page before seq 6960",
    )
    .action(async (opts: { tail: string; since?: string; before?: string; sinceSeq?: string; limit?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        if (opts.since && Number.isNaN(Date.parse(opts.since))) return usage(`--since "${opts.since}" is not a date; use ISO 8601, e.g. 2026-11-27T08:00:00Z`);
        const tail = wholeNumber(opts.limit ?? opts.tail, 1, 10_000);
        if (tail === undefined) return usage("--tail takes a whole number from 1 to 10000");
        const before = opts.before === undefined ? undefined : wholeNumber(opts.before, 1, Number.MAX_SAFE_INTEGER);
        if (opts.before !== undefined && before === undefined) return usage("--before takes a sequence number (the SEQ column)");
        if (opts.sinceSeq && wholeNumber(opts.sinceSeq, 0, Number.MAX_SAFE_INTEGER) === undefined) return usage("--since-seq takes a whole number");
        const q = new URLSearchParams({
          limit: String(tail),
          ...(opts.since ? { since: new Date(opts.since).toISOString() } : {}),
          ...(before !== undefined ? { before: String(before) } : {}),
          ...(opts.sinceSeq ? { sinceSeq: opts.sinceSeq } : {}),
        });
        const rows = await daemon(cmd).request<AuditEntry[]>("GET", `/admin/events?${q}`);
        const tz = globals(cmd).json ? "UTC" : await daemonTimeZone(cmd);
        print(cmd, rows, (r) => {
          const oldest = r.at(-1)?.seq;
          const more = r.length === tail && oldest !== undefined && oldest > 1 ? `\n(older entries: lockerctl events --before ${oldest})` : "";
          return auditTable(r, tz) + more;
        });
      }),
    );

  program
    .command("disable <n>")
    .description("take a compartment out of use (it must be empty)")
    .requiredOption("--reason <text>", "why (goes into the audit trail)")
    .action(async (n: string, opts: { reason: string }, cmd: Command) =>
      runAction(cmd, async () => {
        if (!/^\d+$/.test(n)) return usage(`"${n}" is not a compartment number`);
        const c = await daemon(cmd).request<CompartmentSnapshot>("POST", `/admin/compartments/${n}/disable`, { reason: opts.reason });
        print(cmd, c, (v) => `compartment ${v.number} is ${v.status}`);
      }),
    );

  program
    .command("enable <n>")
    .description("put a disabled or faulty compartment back into use")
    .action(async (n: string, _opts, cmd: Command) =>
      runAction(cmd, async () => {
        if (!/^\d+$/.test(n)) return usage(`"${n}" is not a compartment number`);
        const c = await daemon(cmd).request<CompartmentSnapshot>("POST", `/admin/compartments/${n}/enable`);
        print(cmd, c, (v) => `compartment ${v.number} is ${v.status}`);
      }),
    );

  for (const [verb, what] of [
    ["collect", "open the case's compartment so staff can take the pouch out (then close the door: the case is with staff)"],
    ["return", "open a free compartment for the finished result (then close the door: the case is ready)"],
  ] as const) {
    program
      .command(`${verb} <case>`)
      .description(`${what}; <case> is an id or a case number such as A27`)
      .option("--as <name>", "staff member's name for the audit trail", "technician")
      .action(async (id: string, opts: { as: string }, cmd: Command) =>
        runAction(cmd, async () => {
          const r = await daemon(cmd).request<{ compartment: number; caseNumber?: string }>("POST", `/admin/cases/${encodeURIComponent(id)}/${verb}`, { as: opts.as });
          print(
            cmd,
            r,
            (v) => `door ${v.compartment} is open for case ${v.caseNumber ?? id}: ${verb === "collect" ? "take the pouch out" : "put the result in"}, then close the door`,
          );
        }),
      );
  }

  program
    .command("backup <file>")
    .description("write a consistent, verified copy of the database to <file> while the daemon runs (the file must not exist)")
    .option("--keep <n>", "then keep only the newest <n> backups of the series (same folder, same name up to the first digit, same extension)")
    .addHelpText(
      "after",
      "\nThe copy is written to <file>.partial, passes SQLite's integrity_check, and only then\nis renamed to <file>: an interrupted backup never leaves a file under the final name.\n" +
        "The daemon writes the file itself. Under systemd its sandbox lets it write only\nbelow /var/lib/lockerd (and its /tmp is private), so on an installed locker (daily, 14 kept):\n  lockerctl backup /var/lib/lockerd/backups/lockerd-$(date +%F).sqlite --keep 14",
    )
    .action(async (file: string, opts: { keep?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const path = await import("node:path");
        const keep = opts.keep === undefined ? undefined : Number(opts.keep);
        if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) return usage(`--keep must be a whole number, 1 or more (got "${opts.keep}")`);
        const body = keep === undefined ? { file: path.resolve(file) } : { file: path.resolve(file), keep };
        const r = await daemon(cmd).request<{ file: string; bytes: number; removed: string[] }>("POST", "/admin/backup", body, 120_000);
        print(cmd, r, (v) => [`backup written and verified: ${v.file} (${v.bytes} bytes)`, ...v.removed.map((f) => `removed older backup: ${f}`)].join("\n"));
      }),
    );
}

function auditTable(rows: AuditEntry[], tz: string): string {
  if (rows.length === 0) return "no audit entries";
  return formatTable(rows, [
    { header: "SEQ", value: (a) => a.seq, align: "right" },
    { header: "TIME", value: (a) => tableTime(a.time, tz) },
    { header: "WHO", value: (a) => `${a.actorKind}:${a.actorName ?? a.actorId}` },
    { header: "VIA", value: (a) => a.via },
    { header: "ACTION", value: (a) => a.action },
    { header: "DOOR", value: (a) => a.compartment ?? "", align: "right" },
    { header: "OUTCOME", value: (a) => a.outcome },
    { header: "REASON", value: (a) => a.reason ?? "" },
  ]);
}
