import type { Command } from "commander";

/** staff add|list|revoke. Owned by D. */
export function registerStaffCommands(_program: Command): void {
  // placeholder: filled by the owner
}
