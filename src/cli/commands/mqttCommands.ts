/**
 * mqtt-check, watch, sign. Owned by C.
 * - mqtt-check: connect to the configured (or --url) broker, round trip, latency.
 * - watch: print locker events live, from a broker (--url) or from the daemon.
 * - sign: build a signed command exactly as the locker checks it.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { loadConfig } from "../../config/loadConfig.js";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { LockerEvent } from "../../locker/events.js";
import { canonicalCommand, signCommand } from "../../mqtt/commandSigning.js";
import { authOptions, brokerUrl, mqttRoundTrip } from "../../mqtt/mqttRoundTrip.js";
import { COMMAND_NAMES, MqttTopics } from "../../mqtt/topics.js";
import { daemon, globals, runAction } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { printJson, writeOut, writeErr } from "../output.js";
import { wholeNumber } from "../wholeNumber.js";
import { daemonTimeZone } from "../localTimes.js";
import { localDateTime } from "../../util/localTime.js";

const out = (s: string) => writeOut(s + "\n");

function config(cmd: Command): LockerConfig {
  return loadConfig({ file: globals(cmd).config });
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = wholeNumber(v, min, max);
  if (n === undefined) throw new LockerError(`${name} must be a whole number ${min}–${max} (got "${v}")`, ErrorCode.Locker_InvalidInput);
  return n;
}

/** One line per event, for a person watching. */
export function formatEventLine(e: LockerEvent, timeZone = "UTC"): string {
  const parts = [localDateTime(e.time, timeZone), e.lockerId, e.type.toUpperCase()];
  if (e.kind) parts.push(e.kind);
  if (e.compartment !== undefined) parts.push(`door ${e.compartment}`);
  if (e.caseNumber) parts.push(`case ${e.caseNumber}`);
  if (e.matter) parts.push(e.matter);
  if (e.phone) parts.push(e.phone);
  if (e.message) parts.push(`— ${e.message}`);
  return parts.join("  ");
}

/** Add `mqtt-check`, `watch` and `sign` to lockerctl. */
export function registerMqttCommands(program: Command): void {
  program
    .command("mqtt-check")
    .description("Connect to the MQTT broker, send test messages through it and print the latency (exit 1 on failure).")
    .option("--url <mqtt://host:port>", "broker to check (default: mqtt.url from the config; embedded → its local listener)")
    .option("--protocol <4|5>", "MQTT protocol version (default: mqtt.protocolVersion; 4 for the embedded broker)")
    .option("--count <n>", "round trips to time", "3")
    .option("--timeout <ms>", "give up on a step after this long", "5000")
    .option("--topic-base <topic>", "test messages go to <topic-base>/check/<random> (default <prefix>/<lockerId>)")
    .action(async (opts: { url?: string; protocol?: string; count: string; timeout: string; topicBase?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const c = config(cmd);
        if (!opts.url && c.mqtt.url === "off") throw new LockerError("MQTT is off in the config (mqtt.url = off); pass --url to check a broker anyway", ErrorCode.Config_Invalid);
        const url = opts.url ?? brokerUrl(c.mqtt);
        const viaConfig = opts.url === undefined;
        const protocol = int("--protocol", opts.protocol, 4, 5) as 4 | 5 | undefined;
        const protocolVersion = protocol ?? (c.mqtt.url === "embedded" && viaConfig ? 4 : c.mqtt.protocolVersion);
        const count = int("--count", opts.count, 1, 1000)!;
        const timeoutMs = int("--timeout", opts.timeout, 100, 120_000)!;
        const base = opts.topicBase ?? new MqttTopics(c.mqtt.prefix, c.lockerId).base;
        let daemonView: unknown;
        try {
          daemonView = await daemon(cmd).request("GET", "/admin/mqtt", undefined, 2000);
        } catch {
          daemonView = undefined; // the daemon is optional for this check
        }
        try {
          const r = await mqttRoundTrip({ url, base, count, timeoutMs, protocolVersion, client: viaConfig ? authOptions(c.mqtt) : {} });
          const sorted = [...r.roundTripsMs].sort((a, b) => a - b);
          const summary = {
            ok: true,
            url: r.url,
            connectMs: round(r.connectMs),
            roundTrips: r.roundTripsMs.length,
            minMs: round(sorted[0]!),
            medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
            maxMs: round(sorted.at(-1)!),
            daemon: daemonView,
          };
          if (globals(cmd).json) printJson(summary);
          else {
            out(`MQTT ok: ${r.url}`);
            out(`  connect ${summary.connectMs} ms; ${count} round trip(s) via ${r.topic}: min ${summary.minMs} ms, median ${summary.medianMs} ms, max ${summary.maxMs} ms`);
            if (daemonView) {
              const d = daemonView as {
                connected: boolean;
                outboxDepth: number;
                lastPublishAt: string | null;
                deadLetters?: number;
                recentDeadLetters?: Array<{ seq: number; type: string; deadAt: string; reason: string }>;
              };
              out(`  daemon: ${d.connected ? "connected" : "NOT connected"}, outbox ${d.outboxDepth} waiting, last event sent ${d.lastPublishAt ?? "never"}`);
              if (d.deadLetters) {
                out(`  WARNING: ${d.deadLetters} event(s) set aside as dead letters (never published; kept in the outbox table):`);
                for (const x of d.recentDeadLetters ?? []) out(`    #${x.seq} ${x.type} at ${x.deadAt.slice(0, 19).replace("T", " ")}: ${x.reason}`);
              }
            }
          }
          return ExitCode.Ok;
        } catch (err) {
          if (globals(cmd).json) printJson({ ok: false, url, error: (err as Error).message, daemon: daemonView });
          else writeErr(`MQTT check FAILED: ${(err as Error).message}\n`);
          return ExitCode.CheckFailed;
        }
      }),
    );

  program
    .command("watch")
    .description("Print locker events live (drop-offs, alarms, …): from a broker with --url, otherwise from the running daemon.")
    .option("--url <mqtt://host:port>", "read events from this broker instead of the daemon")
    .option("--filter <topic>", "topic filter with --url (default <prefix>/+/events/#: every locker)")
    .option("--count <n>", "exit after this many events")
    .action(async (opts: { url?: string; filter?: string; count?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const json = globals(cmd).json;
        const max = int("--count", opts.count, 1, 1_000_000);
        let seen = 0;
        const ac = new AbortController();
        // Times in the locker's zone, marked: from the config with --url, else from the daemon.
        const tz = json ? "UTC" : opts.url ? (tryConfig(cmd)?.timeZone ?? "UTC") : await daemonTimeZone(cmd);
        const show = (e: LockerEvent) => {
          out(json ? JSON.stringify(e) : formatEventLine(e, tz));
          if (max !== undefined && ++seen >= max) ac.abort();
        };
        process.once("SIGINT", () => ac.abort());
        process.once("SIGTERM", () => ac.abort());
        if (opts.url) {
          const { default: mqtt } = await import("mqtt");
          const prefix = opts.filter ? undefined : (tryConfig(cmd)?.mqtt.prefix ?? "lockers");
          const filter = opts.filter ?? `${prefix}/+/events/#`;
          const client = await mqtt.connectAsync(opts.url, { clientId: `lockerctl-watch-${randomUUID().slice(0, 8)}`, reconnectPeriod: 1000 });
          client.on("message", (_t, payload) => {
            try {
              show(JSON.parse(payload.toString("utf8")) as LockerEvent);
            } catch {
              writeErr(`(not an event: ${payload.toString("utf8").slice(0, 120)})\n`);
            }
          });
          await client.subscribeAsync(filter, { qos: 1 });
          if (!json) writeErr(`watching ${filter} on ${opts.url} (Ctrl-C to stop)\n`);
          await new Promise<void>((resolve) => ac.signal.addEventListener("abort", () => resolve()));
          await client.endAsync();
        } else {
          if (!json) writeErr("watching the daemon's events (Ctrl-C to stop)\n");
          await daemon(cmd).stream("/admin/watch", (o) => show(o as LockerEvent), ac.signal);
        }
        return ExitCode.Ok;
      }),
    );

  program
    .command("sign <name>")
    .description(`Sign a remote command (${COMMAND_NAMES.join(", ")}) and print the topic and JSON to publish; shows the canonical text that is signed.`)
    .requiredOption(
      "--secret-file <file>",
      "the locker's command secret: the file mqtt.commandSecretFile names (required; by default that is <dataDir>/mqtt-command-secret, e.g. ./data/mqtt-command-secret in the demo)",
    )
    .option("--compartment <n>", "the one compartment (open, disable, enable)")
    .option("--reason <text>", "why (open, disable); kept in the audit trail")
    .option("--locker-id <id>", "locker to sign for (default: lockerId from the config)")
    .option("--prefix <prefix>", "topic prefix (default: mqtt.prefix from the config)")
    .option("--id <id>", "command id (default: a new random one; ids are single-use)")
    .option("--ts <unixSeconds>", "timestamp (default: now)")
    .action(async (name: string, opts: { secretFile: string; compartment?: string; reason?: string; lockerId?: string; prefix?: string; id?: string; ts?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        if (!(COMMAND_NAMES as readonly string[]).includes(name))
          throw new LockerError(`unknown command "${name}"; one of: ${COMMAND_NAMES.join(", ")} (there is no "open all")`, ErrorCode.Locker_InvalidInput);
        const compartment = int("--compartment", opts.compartment, 1, 99);
        if (name !== "ping" && compartment === undefined) throw new LockerError(`${name} needs --compartment <n>`, ErrorCode.Locker_InvalidInput);
        if ((name === "open" || name === "disable") && !opts.reason) throw new LockerError(`${name} needs --reason <text>`, ErrorCode.Locker_InvalidInput);
        let secret: string;
        try {
          secret = fs.readFileSync(opts.secretFile, "utf8").trim();
        } catch (err) {
          throw new LockerError(`cannot read the secret file ${opts.secretFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, ErrorCode.Config_Unreadable);
        }
        const c = opts.lockerId && opts.prefix ? undefined : tryConfig(cmd);
        const lockerId = opts.lockerId ?? c?.lockerId;
        const prefix = opts.prefix ?? c?.mqtt.prefix ?? "lockers";
        if (!lockerId) throw new LockerError("no locker id: pass --locker-id or -c <config>", ErrorCode.Locker_InvalidInput);
        const body = {
          id: opts.id ?? `cmd-${randomUUID()}`,
          ts: int("--ts", opts.ts, 0, 2 ** 31) ?? Math.floor(Date.now() / 1000),
          ...(compartment !== undefined ? { compartment } : {}),
          ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        };
        const payload = { ...body, sig: signCommand(secret, lockerId, name, body) };
        const topic = new MqttTopics(prefix, lockerId).cmd(name);
        const canonical = canonicalCommand(lockerId, name, body);
        if (globals(cmd).json) printJson({ topic, payload, canonical });
        else {
          out(`topic:     ${topic}`);
          out(`payload:   ${JSON.stringify(payload)}`);
          out(`signed text (HMAC-SHA256, key = the secret file's text, trimmed; lines joined by \\n):`);
          for (const line of canonical.split("\n")) out(`  | ${line}`);
          out(`publish:   mosquitto_pub -q 1 -t '${topic}' -m '${JSON.stringify(payload).replace(/'/g, "'\\''")}'`);
        }
        return ExitCode.Ok;
      }),
    );
}

function tryConfig(cmd: Command): LockerConfig | undefined {
  try {
    return config(cmd);
  } catch {
    return undefined;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
