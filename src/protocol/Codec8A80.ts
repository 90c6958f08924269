/**
 * Protocol "8A/80" (reference section A, PROTOCOL.md): 5-byte commands
 * `HEAD BOARD LOCK FUNC BCC`, replies parsed by structure (header, board,
 * trailing `33` for query-all, XOR) and never by an expected length.
 */
import type { BoardCodec, BoardFrame, BoardRequest, ScanResult, StatusByteOrderName } from "./BoardCodec.js";

export const HEAD_UNLOCK = 0x8a;
export const HEAD_QUERY = 0x80;
export const HEAD_PUSH = 0x82;
export const FUNC_UNLOCK = 0x11;
export const FUNC_QUERY = 0x33;
/** Status byte: feedback input closed / open (reference A.4). */
export const LEVEL_CLOSED = 0x11;
export const LEVEL_OPEN = 0x00;
/** Up to 64 channels → 8 status bytes; query-all is then 4 + 8 = 12 bytes. */
const MAX_STATUS_BYTES = 8;
const MAX_FRAME = 4 + MAX_STATUS_BYTES;

/** XOR of `bytes[from, to)` (the block check character of protocol A). */
export function xorBcc(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/** Append the BCC to a frame body. */
export function withBcc(body: number[]): Buffer {
  return Buffer.from([...body, xorBcc(Uint8Array.from(body))]);
}

function checkAddress(board: number, channel?: number): void {
  if (!Number.isInteger(board) || board < 1 || board > 31) throw new RangeError(`board address ${board} out of range 1–31`);
  if (channel !== undefined && (!Number.isInteger(channel) || channel < 1 || channel > 255)) throw new RangeError(`channel ${channel} out of range 1–255`);
}

/** Encode a host request: `8A BB LL 11 X`, `80 BB LL 33 X`, `80 BB 00 33 X`. */
export function encode8A80(req: BoardRequest): Buffer {
  if (req.kind === "queryAll") {
    checkAddress(req.board);
    return withBcc([HEAD_QUERY, req.board, 0x00, FUNC_QUERY]);
  }
  checkAddress(req.board, req.channel);
  return req.kind === "unlock" ? withBcc([HEAD_UNLOCK, req.board, req.channel, FUNC_UNLOCK]) : withBcc([HEAD_QUERY, req.board, req.channel, FUNC_QUERY]);
}

const isLevel = (b: number) => b === LEVEL_CLOSED || b === LEVEL_OPEN;
const HEADERS = new Set([HEAD_UNLOCK, HEAD_QUERY, HEAD_PUSH]);

/** Try every frame shape that could start at `buf[at]`; `undefined` = none complete (yet). */
function frameAt(buf: Buffer, at: number, expect?: BoardRequest): { length: number; frame: BoardFrame } | undefined {
  const head = buf[at]!;
  const avail = buf.length - at;
  if (avail < 5) return undefined;
  const board = buf[at + 1]!;
  if (board < 1 || board > 31) return undefined;
  const five = () => buf.subarray(at, at + 5);
  const fiveValid = xorBcc(buf, at, at + 4) === buf[at + 4];
  const b2 = buf[at + 2]!;
  const b3 = buf[at + 3]!;

  if (head === HEAD_UNLOCK || head === HEAD_PUSH) {
    if (!fiveValid || b2 === 0 || !isLevel(b3)) return undefined;
    const bytes = Buffer.from(five());
    const kind = head === HEAD_PUSH ? "doorEvent" : "unlockReply";
    return { length: 5, frame: { kind, board, channel: b2, feedbackClosed: b3 === LEVEL_CLOSED, bytes } };
  }
  if (head !== HEAD_QUERY) return undefined;
  // Query-one reply `80 BB LL SS X` vs query-all reply `80 BB S.. 33 X`: the
  // awaited request decides; otherwise (none, or an unlock awaited) the shortest valid parse wins.
  const wantAll = expect === undefined || expect.kind !== "query";
  const wantOne = expect === undefined || expect.kind !== "queryAll";
  if (wantOne && fiveValid && b2 !== 0 && isLevel(b3)) {
    return { length: 5, frame: { kind: "queryReply", board, channel: b2, feedbackClosed: b3 === LEVEL_CLOSED, bytes: Buffer.from(five()) } };
  }
  if (fiveValid && b3 === FUNC_QUERY) {
    // Our own query frame `80 BB LL 33 X` coming back (adapter echo). For LL = 00 these bytes
    // also read as a 1-status-byte query-all reply; no known firmware sends fewer than 3.
    const request: BoardRequest = b2 === 0 ? { kind: "queryAll", board } : { kind: "query", board, channel: b2 };
    return { length: 5, frame: { kind: "hostFrame", request, bytes: Buffer.from(five()) } };
  }
  if (wantAll) {
    for (let n = 1; n <= MAX_STATUS_BYTES && 2 + n + 1 < avail; n++) {
      const marker = at + 2 + n;
      if (buf[marker] === FUNC_QUERY && xorBcc(buf, at, marker + 1) === buf[marker + 1]) {
        const bytes = Buffer.from(buf.subarray(at, marker + 2));
        return { length: n + 4, frame: { kind: "queryAllReply", board, status: Buffer.from(buf.subarray(at + 2, marker)), bytes } };
      }
    }
  }
  return undefined;
}

/** Scan for the first complete frame, skipping garbage (see `BoardCodec.scan`). */
export function scan8A80(buf: Buffer, expect?: BoardRequest): ScanResult {
  let firstPossible = -1;
  for (let at = 0; at < buf.length; at++) {
    if (!HEADERS.has(buf[at]!)) continue;
    const found = frameAt(buf, at, expect);
    if (found) return { type: "frame", skip: at, ...found };
    // A header that may still complete: keep it unless even a maximal frame is already buffered.
    if (firstPossible < 0 && buf.length - at < MAX_FRAME) firstPossible = at;
  }
  return { type: "incomplete", skip: firstPossible < 0 ? buf.length : firstPossible };
}

/** Decode the host frame at the start of `buf` (what a board receives). */
export function scanHost8A80(buf: Buffer): ScanResult {
  for (let at = 0; at < buf.length; at++) {
    const head = buf[at]!;
    if (head !== HEAD_UNLOCK && head !== HEAD_QUERY) continue;
    if (buf.length - at < 5) return { type: "incomplete", skip: at };
    const board = buf[at + 1]!;
    const lock = buf[at + 2]!;
    const func = buf[at + 3]!;
    if (xorBcc(buf, at, at + 4) !== buf[at + 4] || board < 1 || board > 31) continue;
    const bytes = Buffer.from(buf.subarray(at, at + 5));
    let request: BoardRequest | undefined;
    if (head === HEAD_UNLOCK && func === FUNC_UNLOCK && lock !== 0) request = { kind: "unlock", board, channel: lock };
    else if (head === HEAD_QUERY && func === FUNC_QUERY) request = lock === 0 ? { kind: "queryAll", board } : { kind: "query", board, channel: lock };
    if (request) return { type: "frame", skip: at, length: 5, frame: { kind: "hostFrame", request, bytes } };
  }
  return { type: "incomplete", skip: buf.length };
}

/** Build the status bytes of a query-all reply from per-channel feedback levels. */
export function statusBytes(levels: boolean[], count: number, order: StatusByteOrderName): Buffer {
  const out = Buffer.alloc(count);
  levels.forEach((closed, i) => {
    const group = Math.floor(i / 8);
    if (!closed || group >= count) return;
    const idx = order === "lastByteFirstChannels" ? count - 1 - group : group;
    out[idx]! |= 1 << (i % 8);
  });
  return out;
}

export const Codec8A80: BoardCodec = {
  name: "8a80",
  maxFrameLength: MAX_FRAME,
  unlockReplies: true,
  boardIds: { min: 1, max: 31 },
  maxChannels: 64,
  encode: encode8A80,
  scanHost: scanHost8A80,
  scan: scan8A80,
  answers(req, frame) {
    if (frame.kind === "hostFrame" || frame.board !== req.board) return false;
    if (req.kind === "queryAll") return frame.kind === "queryAllReply";
    const want = req.kind === "unlock" ? "unlockReply" : "queryReply";
    return frame.kind === want && frame.channel === req.channel;
  },
  channelLevels(frame, channels, order) {
    const n = frame.status.length;
    return Array.from({ length: channels }, (_, i) => {
      const group = Math.floor(i / 8);
      if (group >= n) return false;
      const idx = order === "lastByteFirstChannels" ? n - 1 - group : group;
      return (frame.status[idx]! & (1 << (i % 8))) !== 0;
    });
  },
};
