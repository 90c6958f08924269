/**
 * `lockerctl probe`: find the boards on a bus. With a protocol, ask every
 * address of that protocol once for its status at its baud; without one,
 * try each protocol in turn at its factory baud (8A/80 at 9600, Kerong at
 * 19200): a board only answers frames of its own family, so the first
 * family that answers names the bus. Only status requests go out, never an
 * unlock.
 */
import pino from "pino";
import { DEFAULT_BAUD, PROTOCOLS, codecFor, type ProtocolName } from "../protocol/index.js";
import { directBus, type DirectBusOptions } from "./directBus.js";
import { LockerHardware } from "./LockerHardware.js";
import type { SerialPortClass } from "./SerialTransport.js";

export interface FoundBoard {
  protocol: ProtocolName;
  baud: number;
  address: number;
  /** Status bytes in the reply (3 on 8- and 24-channel 8A/80 boards, 4 on Kerong). */
  statusBytes?: number;
  replyHex: string;
}

export interface ProbeAttempt {
  protocol: ProtocolName;
  baud: number;
  asked: number[];
  /** Why the bus could not even be opened at this speed, when so. */
  error?: string;
}

export interface ProbeReport {
  port: string;
  boards: FoundBoard[];
  tried: ProbeAttempt[];
}

export interface ProbeOptions extends Pick<DirectBusOptions, "port" | "baud" | "timeout"> {
  /** One protocol, or undefined to try every one. */
  protocol?: ProtocolName;
  /** Address range; clamped to each protocol's own range. */
  from?: number;
  to?: number;
  timeoutMs: number;
  binding?: SerialPortClass;
}

/** Probe one protocol, or discover which one the bus speaks. Throws only when the port cannot be opened at all. */
export async function probeBus(o: ProbeOptions): Promise<ProbeReport> {
  const protocols = o.protocol ? [o.protocol] : [...PROTOCOLS];
  const report: ProbeReport = { port: o.port, boards: [], tried: [] };
  let openError: unknown;
  for (const protocol of protocols) {
    const ids = codecFor(protocol).boardIds;
    const from = Math.max(ids.min, o.from ?? ids.min);
    const to = Math.min(ids.max, o.to ?? ids.max);
    const asked = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
    // a baud given with a single protocol is that protocol's; in discovery each family is tried at its own
    const baud = o.protocol && o.baud ? Number(o.baud) : DEFAULT_BAUD[protocol];
    const { bus, compartments } = directBus({ port: o.port, protocol, baud: String(baud), address: String(asked[0] ?? ids.min), timeout: o.timeout });
    const hw = new LockerHardware({ bus, compartments, log: pino({ level: "silent" }), poll: false, binding: o.binding });
    const attempt: ProbeAttempt = { protocol, baud, asked };
    report.tried.push(attempt);
    try {
      await hw.start({ failFast: true });
    } catch (e) {
      if (o.protocol) throw e;
      openError ??= e;
      attempt.error = (e as Error).message;
      continue;
    }
    try {
      for (const r of await hw.probe(asked, o.timeoutMs)) {
        if (r.found) report.boards.push({ protocol, baud, address: r.address, statusBytes: r.statusBytes, replyHex: r.replyHex! });
      }
    } finally {
      await hw.stop();
    }
  }
  // every attempt failed to open the port: that is the answer, not "no board"
  if (report.tried.every((t) => t.error)) throw openError;
  return report;
}

/** The `bus` block to paste into the config file for what was found (first protocol that answered). */
export function configSnippet(r: ProbeReport): Record<string, unknown> | undefined {
  const first = r.boards[0];
  if (!first) return undefined;
  const boards = r.boards.filter((b) => b.protocol === first.protocol);
  return {
    bus: {
      protocol: first.protocol,
      transport: r.port,
      baudRate: first.baud,
      boards: boards.map((b) => ({ address: b.address, channels: 8, feedback: "closedWhenLocked", statusByteOrder: "lastByteFirstChannels" })),
    },
  };
}
