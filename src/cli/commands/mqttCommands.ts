import type { Command } from "commander";

/** mqtt-check, watch, sign. Owned by C. */
export function registerMqttCommands(_program: Command): void {
  // placeholder: filled by the owner
}
