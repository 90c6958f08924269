#!/usr/bin/env node
/**
 * Run the board simulator on its own:
 *   npm run sim -- --tcp 7700 --control 7701 --boards 1
 *   npm run sim -- --pty --boards 1,2 --pace 9600
 *   npm run sim -- --pty --protocol kerong --boards 0
 * Prints where the bus and the control API listen, then runs until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./startSimulator.js";

const HELP = `lockerd board simulator (protocol 8A/80 or Kerong KR-CU)

  --tcp <port>        serve the bus on tcp://127.0.0.1:<port> (0 = any free port)
  --pty               serve the bus on a pseudo-terminal pair (needs socat); prints the device path
  --protocol <p>      8a80 (default) | kerong
  --boards <list>     board addresses, e.g. 1 or 1,2 (default 1; kerong ids 0-15, default 0)
  --channels <n>      channels per board (default 8)
  --feedback <p>      closedWhenLocked (default) | closedWhenUnlocked
  --byte-order <o>    lastByteFirstChannels (default) | firstByteFirstChannels
  --pace <baud>       deliver every byte at this baud rate (10 bits per character)
  --pulse-ms <ms>     unlock reply delay (pulse length), default 300
  --control <port>    HTTP control API on 127.0.0.1:<port> (see hardware/SIMULATOR.md)
`;

function fail(msg: string): never {
  process.stderr.write(`error: ${msg}\n\n${HELP}`);
  process.exit(2);
}

const { values: v } = parseArgs({
  options: {
    tcp: { type: "string" },
    pty: { type: "boolean" },
    protocol: { type: "string", default: "8a80" },
    boards: { type: "string" },
    channels: { type: "string", default: "8" },
    feedback: { type: "string", default: "closedWhenLocked" },
    "byte-order": { type: "string", default: "lastByteFirstChannels" },
    pace: { type: "string" },
    "pulse-ms": { type: "string" },
    control: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (v.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!v.pty && v.tcp === undefined) fail("choose --tcp <port> or --pty");
const int = (name: string, s: string | undefined, min: number, max: number) => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number ${min}–${max}`);
  return n;
};
if (!["closedWhenLocked", "closedWhenUnlocked"].includes(v.feedback!)) fail("--feedback must be closedWhenLocked or closedWhenUnlocked");
if (!["lastByteFirstChannels", "firstByteFirstChannels"].includes(v["byte-order"]!)) fail("--byte-order must be lastByteFirstChannels or firstByteFirstChannels");
if (v.protocol !== "8a80" && v.protocol !== "kerong") fail("--protocol must be 8a80 or kerong");
const protocol = v.protocol;
const kerong = protocol === "kerong";
const channels = int("channels", v.channels, 1, kerong ? 16 : 64)!;
const boards = (v.boards ?? (kerong ? "0" : "1")).split(",").map((a) => ({
  address: int("boards", a.trim(), kerong ? 0 : 1, kerong ? 15 : 31)!,
  channels,
  feedback: v.feedback as "closedWhenLocked",
  statusByteOrder: v["byte-order"] as "lastByteFirstChannels",
}));

const sim = await startSimulator({
  transport: v.pty ? "pty" : "tcp",
  protocol,
  port: int("tcp", v.tcp, 0, 65535),
  boards,
  paceBaud: int("pace", v.pace, 300, 1_000_000),
  pulseMs: int("pulse-ms", v["pulse-ms"], 0, 10_000),
  controlPort: int("control", v.control, 0, 65535),
});
process.stdout.write(`simulator: ${protocol} boards ${boards.map((b) => b.address).join(",")} on ${sim.transport}\n`);
if (sim.controlUrl) process.stdout.write(`control:   ${sim.controlUrl}  (e.g. curl -s ${sim.controlUrl}/state)\n`);
process.stdout.write(`try:       lockerctl status --port ${sim.transport}${kerong ? ` --protocol kerong --address ${boards[0]!.address}` : ""}\n`);
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
