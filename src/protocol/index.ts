/** Wire protocols of the lock boards: pick a codec by the bus's `protocol` setting. */
import type { BoardCodec } from "./BoardCodec.js";
import { Codec8A80 } from "./Codec8A80.js";
import { CodecKerong } from "./CodecKerong.js";

export type { BoardCodec, BoardFrame, BoardRequest, ScanResult } from "./BoardCodec.js";

/** Bus protocols lockerd speaks, in the order `probe` tries them. */
export const PROTOCOLS = ["8a80", "kerong"] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** Factory line speed of each family, baud (reference A.1, B.1). */
export const DEFAULT_BAUD: Record<ProtocolName, number> = { "8a80": 9600, kerong: 19200 };

/** The codec for a bus protocol name; throws RangeError for an unknown one. */
export function codecFor(protocol: string): BoardCodec {
  if (protocol === "8a80") return Codec8A80;
  if (protocol === "kerong") return CodecKerong;
  throw new RangeError(`unknown board protocol "${protocol}" (known: ${PROTOCOLS.join(", ")})`);
}
