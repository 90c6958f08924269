/**
 * `lockerctl probe --port X [--protocol P]`: which boards answer on a bus,
 * and (without --protocol) which protocol the bus speaks; prints the config
 * snippet to paste. Talks to the bus directly (the daemon must be stopped).
 */
import type { Command } from "commander";
import { globals, runAction } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { formatTable, printJson } from "../output.js";
import { configSnippet, probeBus } from "../../board/probeBus.js";
import { protocolOption } from "../../board/directBus.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import { hex } from "../../util/logger.js";
import { wholeNumber } from "../wholeNumber.js";

interface ProbeOpts {
  port?: string;
  protocol?: string;
  baud?: string;
  timeout?: string;
  from?: string;
  to?: string;
}

const out = (s: string) => process.stdout.write(s + "\n");

function address(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = wholeNumber(v, 0, 31);
  if (n === undefined) throw new LockerError(`--${name} must be a whole number from 0 to 31 (got "${v}")`, ErrorCode.Config_Invalid);
  return n;
}

/** @param portOptions adds the shared `--port` options (hardwareCommands.ts). */
export function registerProbeCommand(program: Command, portOptions: (c: Command) => Command): void {
  portOptions(program.command("probe"))
    .description("find the boards on --port: without --protocol tries 8A/80 (9600 baud) and Kerong (19200 baud) and names the one that answers (the daemon must be stopped)")
    .option("--from <n>", "first address to try (default the protocol's first: 8a80 1, kerong 0)")
    .option("--to <n>", "last address to try (default the protocol's last: 8a80 31, kerong 15)")
    .addHelpText(
      "after",
      "\nOnly status requests are sent, never an unlock.\n\nExample:\n  lockerctl probe --port /dev/lockerboard\n  lockerctl probe --port tcp://192.168.1.50:4001 --protocol kerong --timeout 200",
    )
    .action(async (o: ProbeOpts, cmd: Command) =>
      runAction(cmd, async () => {
        if (!o.port) throw new LockerError("probe talks to the bus directly: give --port <device|tcp://host:port> (stop lockerd first)", ErrorCode.Config_Invalid);
        const from = address("from", o.from);
        const to = address("to", o.to);
        if (from !== undefined && to !== undefined && from > to) throw new LockerError("--from must not be above --to", ErrorCode.Config_Invalid);
        const protocol = o.protocol === undefined ? undefined : protocolOption(o.protocol);
        const timeoutMs = wholeNumber(o.timeout ?? "150", 10, 5000);
        if (timeoutMs === undefined) throw new LockerError(`--timeout must be a whole number of ms from 10 to 5000 (got "${o.timeout}")`, ErrorCode.Config_Invalid);
        const r = await probeBus({ port: o.port, protocol, baud: o.baud, timeout: o.timeout ?? "150", from, to, timeoutMs });
        const snippet = configSnippet(r);
        if (globals(cmd).json) printJson({ ...r, config: snippet });
        else if (r.boards.length === 0) {
          const tried = r.tried.map((t) => `${t.protocol} at ${t.baud} baud, addresses ${t.asked[0]}–${t.asked.at(-1)}${t.error ? ` (${t.error})` : ""}`).join("; ");
          out(`no board answered on ${o.port}: tried ${tried}. Check wiring (A/B swapped?), power${protocol ? ", --protocol, --baud" : ", --baud"}.`);
        } else {
          out(
            formatTable(r.boards, [
              { header: "PROTOCOL", value: (b) => b.protocol },
              { header: "BAUD", value: (b) => b.baud, align: "right" },
              { header: "ADDRESS", value: (b) => b.address, align: "right" },
              { header: "STATUS BYTES", value: (b) => b.statusBytes, align: "right" },
              { header: "REPLY (HEX)", value: (b) => hex(Buffer.from(b.replyHex, "hex")) },
            ]),
          );
          out(`\nPaste into the config file (then set channels, feedback and the compartments; see hardware/COMMISSIONING.md):\n${JSON.stringify(snippet, null, 2)}`);
        }
        return r.boards.length > 0 ? ExitCode.Ok : ExitCode.BoardUnreachable;
      }),
    );
}
