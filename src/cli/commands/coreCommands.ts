import type { Command } from "commander";

/** cases, case, events, disable, enable, backup. Owned by B. */
export function registerCoreCommands(_program: Command): void {
  // placeholder: filled by the owner
}
