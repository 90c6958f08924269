/**
 * Times in lockerctl tables: in the locker's zone (`timeZone`, asked of the
 * daemon once per command) and marked, e.g. "2026-11-29 20:14:05 UTC+8".
 * `--json` keeps the ISO UTC strings.
 */
import type { Command } from "commander";
import { localDateTime } from "../util/localTime.js";
import { daemon } from "./CliContext.js";

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
