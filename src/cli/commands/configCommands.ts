import type { Command } from "commander";

/** config check. Owned by E. */
export function registerConfigCommands(_program: Command): void {
  // placeholder: filled by the owner
}
