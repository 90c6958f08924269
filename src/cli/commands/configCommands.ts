import type { Command } from "commander";
import { runAction, globals } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { formatTable, printJson, writeOut } from "../output.js";
import { loadConfig } from "../../config/loadConfig.js";
import { configWarnings } from "../../config/configWarnings.js";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { isConfigError } from "../../errors/LockerError.js";

/** config check. Owned by E. */
export function registerConfigCommands(program: Command): void {
  const config = program.command("config").description("work with the daemon's configuration");
  config
    .command("check")
    .description("load and validate a config file (plus LOCKERD_* variables); print every problem, or a summary")
    .addHelpText(
      "after",
      `
The file is --config <file>, else $LOCKERD_CONFIG, else the built-in default.
Warnings (valid but doubtful settings) are printed and do not change the exit code.
Exit codes: 0 valid, 2 invalid (every problem is listed), or the file is missing/unreadable.
Example: lockerctl config check --config /etc/lockerd/config.json`,
    )
    .action(async (_opts: unknown, cmd: Command) =>
      runAction(cmd, async () => {
        const { json, config: given } = globals(cmd);
        const file = given ?? (process.env.LOCKERD_CONFIG || undefined);
        const source = file ?? "built-in default";
        let cfg: LockerConfig;
        try {
          cfg = loadConfig({ file });
        } catch (e) {
          if (!isConfigError(e)) throw e;
          const problems = (e.context.problems as string[] | undefined) ?? [e.message];
          if (json) printJson({ ok: false, file: source, error: e.toJSON().error, problems });
          else writeOut(`${e.context.problems ? e.message : `error: ${e.message}`}\n`);
          return ExitCode.Usage;
        }
        const warnings = configWarnings(cfg);
        if (json) printJson({ ok: true, file: source, summary: summarizeConfig(cfg), warnings });
        else {
          writeOut(`config ok: ${source}\n\n${formatSummary(cfg)}\n`);
          if (warnings.length > 0) writeOut(`\nwarnings (valid, but check):\n${warnings.map((w) => `  - ${w}`).join("\n")}\n`);
        }
        return ExitCode.Ok;
      }),
    );
}

/** The effective config in a few facts a technician checks first. Never includes secrets. */
export function summarizeConfig(c: LockerConfig): Record<string, unknown> {
  const numbers = c.compartments.map((k) => k.number).sort((a, b) => a - b);
  return {
    lockerId: c.lockerId,
    displayName: c.displayName,
    transport: c.bus.transport,
    protocol: c.bus.protocol,
    baudRate: c.bus.baudRate,
    boards: c.bus.boards.map((b) => ({ address: b.address, channels: b.channels, feedback: b.feedback })),
    compartments: numbers,
    matters: c.matters.map((m) => m.id),
    broker: {
      url: c.mqtt.url === "embedded" ? `embedded on ${c.mqtt.embeddedHost}:${c.mqtt.embeddedPort}` : c.mqtt.url,
      username: c.mqtt.username,
      clientCertificate: c.mqtt.certFile !== undefined,
      topics: `${c.mqtt.prefix}/${c.lockerId}/#`,
    },
    listeners: { pages: `http://${c.http.host}:${c.http.port}`, publicBaseUrl: c.publicBaseUrl, adminSocket: c.http.adminSocket },
    dataDir: c.dataDir,
    log: `${c.log.level}, ${c.log.pretty ? "pretty" : "json"}`,
  };
}

function formatSummary(c: LockerConfig): string {
  const s = summarizeConfig(c) as ReturnType<typeof summarizeConfig> & { broker: Record<string, unknown>; listeners: Record<string, string> };
  const boards = c.bus.boards.map((b) => `address ${b.address} (${b.channels} ch, ${b.feedback})`).join("; ");
  const transport = c.bus.transport === "sim" ? "sim (built-in board simulator)" : `${c.bus.transport} at ${c.bus.baudRate} baud`;
  const broker = [String(s.broker.url), s.broker.username ? `user ${String(s.broker.username)}` : "", s.broker.clientCertificate ? "client certificate" : ""]
    .filter(Boolean)
    .join(", ");
  const rows: [string, string][] = [
    ["locker", `${c.lockerId} (${c.displayName})`],
    ["transport", `${transport}, protocol ${c.bus.protocol}`],
    ["boards", boards],
    ["compartments", `${c.compartments.length}: ${(s.compartments as number[]).join(", ")}`],
    ["matters", (s.matters as string[]).join(", ")],
    ["broker", `${broker}; topics ${String(s.broker.topics)}`],
    ["pages", `${s.listeners.pages}; QR links ${c.publicBaseUrl}/d/...`],
    ["admin socket", c.http.adminSocket],
    ["data", c.dataDir],
    ["log", String(s.log)],
  ];
  return formatTable(rows, [
    { header: "setting", value: (r) => r[0] },
    { header: "value", value: (r) => r[1] },
  ]);
}
