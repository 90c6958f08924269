import type { Command } from "commander";

/** probe, status, open, monitor, selftest (direct --port mode and via daemon). Owned by A. */
export function registerHardwareCommands(_program: Command): void {
  // placeholder: filled by the owner
}
