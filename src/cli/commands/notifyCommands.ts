/**
 * `lockerctl notify status` and `lockerctl notify test <channel>` (issue 13):
 * each channel's cursor, backlog and last error; a test message through one
 * channel with the service's answer. Exit codes: 0 ok; 1 a channel is failing
 * (status) or the service refused the test; 2 unknown channel; 4 no daemon.
 */
import type { Command } from "commander";
import { isLockerError, ErrorCode } from "../../errors/LockerError.js";
import type { NotifyChannelStatus } from "../../notify/NotifyService.js";
import type { TestResult } from "../../notify/ChannelWorker.js";
import { daemon, globals, runAction } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { daemonTimeZone, tableTime } from "../localTimes.js";
import { formatTable, printJson } from "../output.js";

export function registerNotifyCommands(program: Command): void {
  const notify = program.command("notify").description("notification channels (WeCom, DingTalk robots, signed webhook): status and test messages");

  notify
    .command("status")
    .description("each channel's cursor, backlog and last error (exit 1 when a channel is failing or its backlog alarm is up)")
    .action(async (_opts, cmd: Command) =>
      runAction(cmd, async () => {
        const rows = await daemon(cmd).request<NotifyChannelStatus[]>("GET", "/admin/notify");
        const failing = rows.some((r) => r.failures > 0 || r.backlogAlarm);
        if (globals(cmd).json) printJson(rows);
        else if (rows.length === 0) process.stdout.write("no notification channels configured (notify.channels in the config)\n");
        else {
          const tz = await daemonTimeZone(cmd);
          process.stdout.write(
            formatTable(rows, [
              { header: "CHANNEL", value: (r) => r.id },
              { header: "KIND", value: (r) => r.kind },
              { header: "CURSOR", value: (r) => r.cursor, align: "right" },
              { header: "BACKLOG", value: (r) => r.backlog + (r.backlogAlarm ? " (alarm)" : ""), align: "right" },
              { header: "LAST OK", value: (r) => tableTime(r.lastOkAt, tz) },
              { header: "FAILURES", value: (r) => r.failures, align: "right" },
              { header: "NEXT TRY", value: (r) => tableTime(r.nextAttemptAt, tz) },
              { header: "LAST ERROR", value: (r) => (r.lastError ? `${r.lastError} (${tableTime(r.lastErrorAt, tz)})` : "") },
            ]) + "\n",
          );
        }
        return failing ? ExitCode.CheckFailed : ExitCode.Ok;
      }),
    );

  notify
    .command("test <channel>")
    .description("send a test message through one channel now and print what the service answered (exit 1 if it refused)")
    .action(async (channel: string, _opts, cmd: Command) =>
      runAction(cmd, async () => {
        let r: TestResult;
        try {
          r = await daemon(cmd).request<TestResult>("POST", `/admin/notify/${encodeURIComponent(channel)}/test`, undefined, 130_000);
        } catch (err) {
          if (!isLockerError(err, ErrorCode.Notify_UnknownChannel)) throw err;
          if (globals(cmd).json) printJson({ ok: false, error: err.toJSON() });
          else process.stderr.write(`error: ${err.message}\n`);
          return ExitCode.Usage;
        }
        if (globals(cmd).json) printJson({ channel, ...r });
        else
          process.stdout.write(
            `${r.ok ? "sent" : "NOT sent"} on ${channel}: ${r.detail}${r.status !== undefined ? ` (HTTP ${r.status}` + (r.ms !== undefined ? `, ${r.ms} ms)` : ")") : ""}\n`,
          );
        return r.ok ? ExitCode.Ok : ExitCode.CheckFailed;
      }),
    );
}
