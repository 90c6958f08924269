#!/usr/bin/env node
/**
 * lockerctl: the technician's CLI. Talks to the running daemon over its local
 * admin socket; hardware commands with --port talk to the board directly.
 */
import { Command } from "commander";
import { ExitCode } from "./exitCodes.js";
import { registerHardwareCommands } from "./commands/hardwareCommands.js";
import { registerCoreCommands } from "./commands/coreCommands.js";
import { registerMqttCommands } from "./commands/mqttCommands.js";
import { registerStaffCommands } from "./commands/staffCommands.js";
import { registerConfigCommands } from "./commands/configCommands.js";
import { registerNotifyCommands } from "./commands/notifyCommands.js";
import { registerVoiceCommands } from "./commands/voiceCommands.js";

export function buildProgram(): Command {
  const program = new Command("lockerctl")
    .description("Commission, check and operate a lockerd document locker.")
    .option("--json", "print machine-readable JSON instead of tables")
    .option("--socket <path>", "the daemon's admin socket (default: $LOCKERD_ADMIN_SOCKET or ./data/admin.sock)")
    .option("-c, --config <file>", "config file (for commands that read it)")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 ok, 1 a check failed, 2 usage or config error, 3 board unreachable,
            4 daemon not reachable, 5 refused by the locker's rules.`,
    )
    .exitOverride((err) => {
      // commander's own usage errors (unknown option, missing argument) → 2; --help/--version → 0
      process.exit(err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage);
    });
  registerHardwareCommands(program);
  registerCoreCommands(program);
  registerMqttCommands(program);
  registerStaffCommands(program);
  registerConfigCommands(program);
  registerNotifyCommands(program);
  registerVoiceCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
