/**
 * Times in lockerctl tables: in the locker's zone (`timeZone`, asked of the
 * daemon once per command) and marked, e.g. "2026-11-29 20:14:05 UTC+8".
 * `--json` keeps the ISO UTC strings.
 */
import type { Command } from "commander";
import { loadConfig } from "../config/loadConfig.js";
import { localDateTime } from "../util/localTime.js";
import { daemon, globals } from "./CliContext.js";

/** The daemon's `timeZone`; "UTC" (still marked) when it cannot say (an older daemon, status unavailable). */
export async function daemonTimeZone(cmd: Command): Promise<string> {
  try {
    const s = await daemon(cmd).request<{ timeZone?: string }>("GET", "/admin/status");
    return s.timeZone ?? "UTC";
  } catch {
    return "UTC";
  }
}

/** An ISO time for a table cell, in `timeZone` and marked; "" for none. */
export function tableTime(iso: string | null | undefined, timeZone: string): string {
  return iso ? localDateTime(iso, timeZone) : "";
}

/** `timeZone` of the config file (--config or LOCKERD_CONFIG) when it loads, for commands without the daemon; else "UTC". */
export function configTimeZone(cmd: Command): string {
  try {
    return loadConfig({ file: globals(cmd).config }).timeZone;
  } catch {
    return "UTC";
  }
}
