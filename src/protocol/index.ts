/** Wire protocols of the lock boards: pick a codec by the bus's `protocol` setting. */
import type { BoardCodec } from "./BoardCodec.js";
import { Codec8A80 } from "./Codec8A80.js";

export type { BoardCodec, BoardFrame, BoardRequest, ScanResult } from "./BoardCodec.js";

/** The codec for a bus protocol name ("8a80"); throws RangeError for an unknown one. */
export function codecFor(protocol: string): BoardCodec {
  if (protocol === "8a80") return Codec8A80;
  throw new RangeError(`unknown board protocol "${protocol}" (known: 8a80)`);
}
