/**
 * probe, status, open, monitor, selftest. With --port they talk to the board
 * directly (the daemon must not hold the port); without it they go through
 * the daemon's admin socket. Owned by A.
 */
import { type Command, Option } from "commander";
import pino from "pino";
import { daemon, globals, runAction } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { formatTable, printJson, writeOut, writeErr } from "../output.js";
import { LockerHardware } from "../../board/LockerHardware.js";
import { registerProbeCommand } from "./probeCommand.js";
import { directBus, type DirectBusOptions } from "../../board/directBus.js";
import type { SelftestReport } from "../../board/selftest.js";
import { ErrorCode, LockerError, isLockerError } from "../../errors/LockerError.js";
import { hex } from "../../util/logger.js";
import { localClockMs, zoneMark } from "../../util/localTime.js";
import { configTimeZone, daemonTimeZone } from "../localTimes.js";
import type { CompartmentSnapshot } from "../../locker/events.js";
import type { DoorOpened } from "../../locker/LockerApi.js";
import { wholeNumber } from "../wholeNumber.js";

type PortOpts = Partial<DirectBusOptions>;

const out = (s: string) => writeOut(s + "\n");

/** The options of every `--port` command (direct mode); defaults that depend on --protocol are applied in `directBus`. */
function portOptions(cmd: Command): Command {
  return cmd
    .option("--port <device|tcp://host:port>", "talk to the board directly on this serial device or RS-485 device server, not through the daemon")
    .addOption(new Option("--protocol <name>", "the board family on the bus (probe without it tries each)").choices(["8a80", "kerong"]))
    .option("--baud <rate>", "serial line speed (default the protocol's: 8a80 9600, kerong 19200)")
    .option("--address <n[,n]>", "board address(es) as the protocol numbers them: 8a80 DIP 1–31 (default 1), kerong board id 0–15 (default 0)")
    .option("--channels <n>", "channels wired on each board", "8")
    .addOption(
      new Option("--feedback <polarity>", "how the lock's feedback switch is wired (kerong: which way the lock bit reads)")
        .choices(["closedWhenLocked", "closedWhenUnlocked"])
        .default("closedWhenLocked"),
    )
    .addOption(
      new Option("--byte-order <order>", "which query-all status byte holds channels 1–8 (8a80 only)")
        .choices(["lastByteFirstChannels", "firstByteFirstChannels"])
        .default("lastByteFirstChannels"),
    )
    .option("--timeout <ms>", "how long to wait for a query reply (default 400; probe 150)");
}

/** Open the board directly, run `fn`, always close. */
async function direct<T>(o: PortOpts, poll: boolean, fn: (hw: LockerHardware) => Promise<T>, wire?: (hw: LockerHardware) => void): Promise<T> {
  const { bus, compartments } = directBus(o as DirectBusOptions);
  const hw = new LockerHardware({ bus, compartments, log: pino({ level: "silent" }), poll });
  wire?.(hw);
  await hw.start({ failFast: true });
  try {
    return await fn(hw);
  } finally {
    await hw.stop();
  }
}

function untilInterrupted(durationMs?: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    if (durationMs) setTimeout(done, durationMs);
  });
}

function printSelftest(r: SelftestReport, json: boolean | undefined): ExitCode {
  if (json) printJson(r);
  else {
    out(
      formatTable(r.checks, [
        { header: "CHECK", value: (c) => c.check },
        { header: "BOARD", value: (c) => c.board, align: "right" },
        { header: "CH", value: (c) => c.channel, align: "right" },
        { header: "DOOR", value: (c) => c.compartment, align: "right" },
        { header: "RESULT", value: (c) => (c.ok ? "PASS" : "FAIL") },
        { header: "DETAIL", value: (c) => c.detail },
      ]),
    );
    out(`${r.ok ? "PASS" : "FAIL"}: ${r.checks.filter((c) => !c.ok).length} of ${r.checks.length} checks failed (${r.tookMs} ms)`);
  }
  if (r.ok) return ExitCode.Ok;
  const boards = r.checks.filter((c) => c.check === "board answers");
  return boards.length > 0 && boards.every((c) => !c.ok) ? ExitCode.BoardUnreachable : ExitCode.CheckFailed;
}

export function registerHardwareCommands(program: Command): void {
  registerProbeCommand(program, portOptions);

  portOptions(program.command("status"))
    .description("show every compartment's door: open or closed, and whether something is inside where the board senses it (with --port: read the board now)")
    .action(async (o: PortOpts, cmd: Command) =>
      runAction(cmd, async () => {
        const json = globals(cmd).json;
        if (!o.port) {
          const rows = await daemon(cmd).request<CompartmentSnapshot[]>("GET", "/admin/compartments");
          if (json) printJson(rows);
          else
            out(
              formatTable(rows, [
                { header: "DOOR", value: (r) => r.number, align: "right" },
                { header: "SIZE", value: (r) => r.size },
                { header: "STATE", value: (r) => r.door },
                { header: "STATUS", value: (r) => r.status },
                { header: "CASE", value: (r) => r.caseNumber },
                // boards that sense items (Kerong) only
                ...(rows.some((r) => r.occupied !== undefined)
                  ? [{ header: "ITEM", value: (r: CompartmentSnapshot) => (r.occupied === undefined ? undefined : r.occupied ? "inside" : "empty") }]
                  : []),
                { header: "FAULT", value: (r) => r.faultReason },
              ]),
            );
          return;
        }
        const { compartments } = directBus(o as DirectBusOptions);
        const readings = await direct(o, false, (hw) => hw.readBoards());
        const rows = compartments.map((c) => {
          const ch = readings.find((r) => r.board === c.board)!.channels[c.channel - 1]!;
          const item = ch.item === undefined ? {} : { item: ch.item ? "inside" : "empty" };
          return { compartment: c.number, board: c.board, channel: c.channel, door: ch.shut ? "closed" : "open", input: ch.level ? "closed" : "open", ...item };
        });
        const sensed = rows.some((r) => "item" in r);
        if (json) printJson({ port: o.port, boards: readings.map((r) => ({ board: r.board, replyHex: r.replyHex })), compartments: rows });
        else {
          out(
            formatTable(rows, [
              { header: "DOOR", value: (r) => r.compartment, align: "right" },
              { header: "BOARD", value: (r) => r.board, align: "right" },
              { header: "CH", value: (r) => r.channel, align: "right" },
              { header: "STATE", value: (r) => r.door },
              { header: "INPUT", value: (r) => r.input },
              ...(sensed ? [{ header: "ITEM", value: (r: (typeof rows)[number]) => ("item" in r ? r.item : undefined) }] : []),
            ]),
          );
          for (const r of readings) out(`board ${r.board} reply: ${hex(Buffer.from(r.replyHex, "hex"))}`);
        }
      }),
    );

  portOptions(program.command("open <n>"))
    .description("unlock one compartment (with --port: channel n of the first --address); the reason goes into the audit log")
    .requiredOption("--reason <text>", "why you open it (required, recorded)")
    .addHelpText("after", '\nExample:\n  lockerctl open 3 --reason "replace bolt"\n  lockerctl open 3 --reason "commissioning" --port /dev/lockerboard')
    .action(async (n: string, o: PortOpts & { reason: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const num = wholeNumber(n, 1, 99) ?? NaN;
        if (Number.isNaN(num)) throw new LockerError(`"${n}" is not a compartment number`, ErrorCode.Config_Invalid);
        if (!o.reason.trim()) throw new LockerError("--reason must not be empty", ErrorCode.Config_Invalid);
        const json = globals(cmd).json;
        if (!o.port) {
          const r = await daemon(cmd).request<DoorOpened>("POST", `/admin/compartments/${num}/open`, { reason: o.reason });
          if (json) printJson(r);
          else out(`door ${r.compartment} unlocked${r.caseNumber ? ` (case ${r.caseNumber})` : ""}`);
          return;
        }
        try {
          const r = await direct(o, false, async (hw) => {
            // a read first: proves the board answers before any pulse, and lets the bus learn whether the adapter echoes
            await hw.readBoards();
            return hw.unlock(num, o.reason);
          });
          if (json) printJson(r);
          else out(`door ${r.compartment} unlocked: ${r.pulses} pulse(s), ${r.acknowledged ? "board acknowledged" : "released (seen by query)"}, ${r.tookMs} ms`);
        } catch (e) {
          if (!isLockerError(e, ErrorCode.Board_LockFault)) throw e;
          if (json) printJson({ ok: false, error: e.toJSON() });
          else writeErr(`FAIL: ${e.message}\n`);
          return ExitCode.CheckFailed;
        }
      }),
    );

  portOptions(program.command("monitor"))
    .description("show door events, item presence (boards with sensors) and raw frames in hex (-> sent, <- received, ?? discarded) until Ctrl-C")
    .option("--duration <ms>", "stop by itself after this long")
    .action(async (o: PortOpts & { duration?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const json = globals(cmd).json;
        // Times of day in the locker's zone, marked once (JSON keeps atWallMs).
        const zone = json ? "UTC" : o.port ? configTimeZone(cmd) : await daemonTimeZone(cmd);
        if (!json) out(`times in ${zoneMark(Date.now(), zone)} (${zone})`);
        const show = (obj: Record<string, unknown>) => {
          if (json) return out(JSON.stringify(obj));
          const at = localClockMs((obj.atWallMs as number) ?? Date.now(), zone);
          if (obj.type === "frame") out(`${at} ${obj.dir === "tx" ? "->" : obj.dir === "rx" ? "<-" : "??"} ${hex(Buffer.from(obj.hex as string, "hex"))}`);
          else if (obj.type === "item") out(`${at} door ${obj.compartment} ${obj.present ? "item inside" : "empty"}`);
          else if (obj.type === "door")
            out(`${at} door ${obj.compartment} ${obj.state}${obj.state === "open" && !obj.commanded && obj.previous !== "unknown" ? "  (NOT COMMANDED: tamper)" : ""}`);
          else out(`${at} board ${obj.type}${obj.reason ? `: ${obj.reason}` : ""}`);
        };
        const duration = o.duration ? wholeNumber(o.duration, 1, 86_400_000) : undefined;
        if (o.duration && duration === undefined) throw new LockerError(`--duration must be a whole number of ms (got "${o.duration}")`, ErrorCode.Config_Invalid);
        if (!o.port) {
          const ac = new AbortController();
          void untilInterrupted(duration).then(() => ac.abort());
          await daemon(cmd).stream("/admin/monitor", (obj) => show(obj as Record<string, unknown>), ac.signal);
          return;
        }
        await direct(
          o,
          true,
          () => untilInterrupted(duration),
          (hw) => {
            hw.on("frame", (f) => show({ type: "frame", dir: f.dir, hex: f.bytes.toString("hex"), atWallMs: f.atWallMs }));
            hw.on("door", (e) => show({ type: "door", ...e }));
            hw.on("item", (e) => show({ type: "item", ...e }));
            hw.on("offline", (e) => show({ type: "offline", ...e }));
            hw.on("online", (e) => show({ type: "online", ...e }));
          },
        );
      }),
    );

  portOptions(program.command("selftest"))
    .description("check the board answers and every channel reads; --cycle also unlocks each compartment in turn (DOORS WILL OPEN)")
    .option("--cycle", "unlock every compartment one after another and check each reads released")
    .action(async (o: PortOpts & { cycle?: boolean }, cmd: Command) =>
      runAction(cmd, async () => {
        const cycle = o.cycle === true;
        const r = o.port ? await direct(o, false, (hw) => hw.selftest({ cycle })) : await daemon(cmd).request<SelftestReport>("POST", "/admin/selftest", { cycle }, 120_000);
        return printSelftest(r, globals(cmd).json);
      }),
    );
}
