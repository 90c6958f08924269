/**
 * lockerctl's direct mode (`--port`): a bus and compartment list built from
 * command-line options instead of the daemon's config. Compartments are
 * numbered board by board: on a single board, compartment n = channel n.
 * Addresses, channel limits and the default baud follow `--protocol`.
 */
import { defaultConfig } from "../config/defaults.js";
import type { BusConfig, CompartmentConfig, FeedbackPolarity, StatusByteOrder } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { wholeNumber } from "../cli/wholeNumber.js";
import { codecFor, DEFAULT_BAUD, PROTOCOLS, type ProtocolName } from "../protocol/index.js";

export interface DirectBusOptions {
  port: string;
  /** "8a80" (default) or "kerong". */
  protocol?: string;
  /** Default: the protocol's factory speed. */
  baud?: string;
  /** Board addresses as the protocol numbers them, "1" or "1,2"; default 1 (8A/80) or 0 (Kerong). */
  address?: string;
  channels?: string;
  feedback?: string;
  byteOrder?: string;
  /** Reply timeout for queries, ms. */
  timeout?: string;
}

const FEEDBACK: FeedbackPolarity[] = ["closedWhenLocked", "closedWhenUnlocked"];
const ORDERS: StatusByteOrder[] = ["lastByteFirstChannels", "firstByteFirstChannels"];

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = wholeNumber(v, min, max);
  if (n === undefined) throw new LockerError(`--${name} must be a whole number from ${min} to ${max} (got "${v}")`, ErrorCode.Config_Invalid);
  return n;
}

/** Validate `--protocol`; throws `Config_Invalid` naming the known ones. */
export function protocolOption(v: string | undefined): ProtocolName {
  const p = (v ?? "8a80").toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(p)) throw new LockerError(`--protocol must be one of ${PROTOCOLS.join(", ")} (got "${v}")`, ErrorCode.Config_Invalid);
  return p as ProtocolName;
}

/** Validate the options and build the bus; throws `Config_Invalid` with the fix in the message. */
export function directBus(o: DirectBusOptions): { bus: BusConfig; compartments: CompartmentConfig[] } {
  const base = defaultConfig().bus;
  const protocol = protocolOption(o.protocol);
  const ids = codecFor(protocol).boardIds;
  const addresses = (o.address ?? String(ids.min)).split(",").map((a) => int("address", a.trim(), ids.min, ids.min, ids.max));
  const channels = int("channels", o.channels, 8, 1, codecFor(protocol).maxChannels);
  const feedback = (o.feedback ?? "closedWhenLocked") as FeedbackPolarity;
  if (!FEEDBACK.includes(feedback)) throw new LockerError(`--feedback must be one of ${FEEDBACK.join(", ")} (got "${o.feedback}")`, ErrorCode.Config_Invalid);
  const statusByteOrder = (o.byteOrder ?? "lastByteFirstChannels") as StatusByteOrder;
  if (!ORDERS.includes(statusByteOrder)) throw new LockerError(`--byte-order must be one of ${ORDERS.join(", ")} (got "${o.byteOrder}")`, ErrorCode.Config_Invalid);
  const queryReplyMs = int("timeout", o.timeout, base.timeouts.queryReplyMs, 50, 5000);
  const bus: BusConfig = {
    ...base,
    protocol,
    transport: o.port,
    baudRate: int("baud", o.baud, DEFAULT_BAUD[protocol], 1200, 115200),
    boards: addresses.map((address) => ({ address, channels, feedback, statusByteOrder })),
    timeouts: { ...base.timeouts, queryReplyMs },
  };
  const compartments: CompartmentConfig[] = [];
  addresses.forEach((board, bi) => {
    for (let ch = 1; ch <= channels; ch++) compartments.push({ number: bi * channels + ch, board, channel: ch, size: "M", row: 1, column: compartments.length + 1 });
  });
  return { bus, compartments };
}
