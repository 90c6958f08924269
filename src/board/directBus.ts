/**
 * lockerctl's direct mode (`--port`): a bus and compartment list built from
 * command-line options instead of the daemon's config. Compartments are
 * numbered board by board: on a single board, compartment n = channel n.
 */
import { defaultConfig } from "../config/defaults.js";
import type { BusConfig, CompartmentConfig, FeedbackPolarity, StatusByteOrder } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { wholeNumber } from "../cli/wholeNumber.js";

export interface DirectBusOptions {
  port: string;
  baud?: string;
  /** Board addresses, "1" or "1,2". */
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

/** Validate the options and build the bus; throws `Config_Invalid` with the fix in the message. */
export function directBus(o: DirectBusOptions): { bus: BusConfig; compartments: CompartmentConfig[] } {
  const base = defaultConfig().bus;
  const addresses = (o.address ?? "1").split(",").map((a) => int("address", a.trim(), 1, 1, 31));
  const channels = int("channels", o.channels, 8, 1, 64);
  const feedback = (o.feedback ?? "closedWhenLocked") as FeedbackPolarity;
  if (!FEEDBACK.includes(feedback)) throw new LockerError(`--feedback must be one of ${FEEDBACK.join(", ")} (got "${o.feedback}")`, ErrorCode.Config_Invalid);
  const statusByteOrder = (o.byteOrder ?? "lastByteFirstChannels") as StatusByteOrder;
  if (!ORDERS.includes(statusByteOrder)) throw new LockerError(`--byte-order must be one of ${ORDERS.join(", ")} (got "${o.byteOrder}")`, ErrorCode.Config_Invalid);
  const queryReplyMs = int("timeout", o.timeout, base.timeouts.queryReplyMs, 50, 5000);
  const bus: BusConfig = {
    ...base,
    transport: o.port,
    baudRate: int("baud", o.baud, 9600, 1200, 115200),
    boards: addresses.map((address) => ({ address, channels, feedback, statusByteOrder })),
    timeouts: { ...base.timeouts, queryReplyMs },
  };
  const compartments: CompartmentConfig[] = [];
  addresses.forEach((board, bi) => {
    for (let ch = 1; ch <= channels; ch++) compartments.push({ number: bi * channels + ch, board, channel: ch, size: "M", row: 1, column: compartments.length + 1 });
  });
  return { bus, compartments };
}
