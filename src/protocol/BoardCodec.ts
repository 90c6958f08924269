/**
 * The seam between the bus (one transaction in flight, reply matching) and a
 * board family's wire format. Protocol "8A/80" is `Codec8A80`; Kerong KR-CU
 * (reference section B) would be a second implementation of this interface.
 * Everything here is pure: bytes in, meaning out.
 */

/** What the host asks a board. Channels are 1-based as on the wire. */
export type BoardRequest = { kind: "unlock"; board: number; channel: number } | { kind: "query"; board: number; channel: number } | { kind: "queryAll"; board: number };

/**
 * A structurally valid, checksum-valid frame from the wire. `feedbackClosed`
 * is the raw input level (true = the feedback switch conducts); what that
 * means for the door depends on the board's polarity (see `BoardProfile`).
 */
export type BoardFrame =
  | { kind: "unlockReply"; board: number; channel: number; feedbackClosed: boolean; bytes: Buffer }
  | { kind: "queryReply"; board: number; channel: number; feedbackClosed: boolean; bytes: Buffer }
  | { kind: "queryAllReply"; board: number; status: Buffer; bytes: Buffer }
  /** Unsolicited door-change push (`82` on some firmware); never a reply. */
  | { kind: "doorEvent"; board: number; channel: number; feedbackClosed: boolean; bytes: Buffer }
  /** A host-shaped frame (our own TX echoed by the adapter, or another master). */
  | { kind: "hostFrame"; request: BoardRequest; bytes: Buffer };

/** Result of scanning a receive buffer from its start. */
export type ScanResult =
  /** A frame starts `skip` bytes in (those bytes are garbage) and is `length` bytes long. */
  | { type: "frame"; skip: number; length: number; frame: BoardFrame }
  /** No complete frame yet; the first `skip` bytes can never start one and may be discarded. */
  | { type: "incomplete"; skip: number };

/** What the bus needs from a board family. */
export interface BoardCodec {
  /** Short name for logs and config ("8a80"). */
  readonly name: string;
  /** Longest frame this family can produce, bytes (bounds buffering during resync). */
  readonly maxFrameLength: number;
  /** False when the board never answers an unlock (Kerong): the pulse is confirmed by status queries only. */
  readonly unlockReplies: boolean;
  /** Board addresses as this family numbers them (8A/80: DIP 1–31; Kerong: id 0–15). */
  readonly boardIds: { min: number; max: number };
  /** Most locks one board drives. */
  readonly maxChannels: number;
  encode(req: BoardRequest): Buffer;
  /** Decode the host-side frame at the start of `buf` (the simulator's receive side). */
  scanHost(buf: Buffer): ScanResult;
  /**
   * Find the first complete, checksum-valid board frame in `buf`. `expect` is
   * the request awaiting an answer, if any: it settles shapes that are
   * ambiguous by structure alone (see PROTOCOL.md, "ambiguous shapes").
   */
  scan(buf: Buffer, expect?: BoardRequest): ScanResult;
  /** True when `frame` is the answer to `req` (same kind, board and channel). */
  answers(req: BoardRequest, frame: BoardFrame): boolean;
  /** Raw feedback level of every channel 1..channels from a query-all reply. */
  channelLevels(frame: BoardFrame & { kind: "queryAllReply" }, channels: number, order: StatusByteOrderName): boolean[];
  /** Item-present bit of every channel 1..channels; absent when the family has no item sensors. */
  itemLevels?(frame: BoardFrame & { kind: "queryAllReply" }, channels: number): boolean[];
}

export type StatusByteOrderName = "lastByteFirstChannels" | "firstByteFirstChannels";

/** "1 01" style label for errors and logs: "UNLOCK ch3 on board 1". */
export function describeRequest(req: BoardRequest): string {
  if (req.kind === "queryAll") return `QUERY-ALL on board ${req.board}`;
  return `${req.kind === "unlock" ? "UNLOCK" : "QUERY"} ch${req.channel} on board ${req.board}`;
}
