import type { Command } from "commander";
import { ExitCode } from "./exitCodes.js";
import { printJson, writeErr } from "./output.js";
import { codeRange, isLockerError, ErrorCode } from "../errors/LockerError.js";
import { DaemonUnavailableError, adminClient, DEFAULT_ADMIN_SOCKET, type AdminClient } from "./adminClient.js";

/** Global options every lockerctl command sees. */
export interface GlobalOptions {
  json?: boolean;
  socket?: string;
  config?: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export function daemon(cmd: Command): AdminClient {
  return adminClient(globals(cmd).socket ?? DEFAULT_ADMIN_SOCKET);
}

/**
 * Run a command body, print a failure the technician can act on, and set the
 * exit code from the error (codes, never message text).
 */
export async function runAction(cmd: Command, body: () => Promise<ExitCode | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? ExitCode.Ok;
  } catch (err) {
    const json = globals(cmd).json;
    let code: ExitCode = ExitCode.CheckFailed;
    if (err instanceof DaemonUnavailableError) code = ExitCode.DaemonUnavailable;
    else if (isLockerError(err)) {
      const range = codeRange(err.code);
      if (range === "board") code = ExitCode.BoardUnreachable;
      else if (range === "config" || range === "store" || range === "notify") code = ExitCode.Usage;
      else if (err.code === ErrorCode.Locker_InvalidInput || err.code === ErrorCode.Locker_CompartmentNotFound || err.code === ErrorCode.Locker_CaseNotFound) code = ExitCode.Usage;
      else code = ExitCode.Refused;
    }
    if (json) printJson({ ok: false, error: isLockerError(err) ? err.toJSON() : { message: (err as Error).message } });
    else writeErr(`error: ${(err as Error).message}\n`);
    process.exitCode = code;
  }
}
