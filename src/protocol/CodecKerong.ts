/**
 * Kerong KR-CU12 / KR-CU16 (reference section B, PROTOCOL.md "Kerong"):
 * `02 ADDR CMD 03 SUM`, SUM = 8-bit sum of every byte before it (STX and ETX
 * included). ADDR = board id (0–15) in the high nibble, 0-based lock index in
 * the low nibble. Unlock (`31`) has no reply; status (`30`) answers with the
 * 9-byte `02 ADDR 35 H1-8 H9-16 I1-8 I9-16 03 SUM`: hook (lock) bits, then
 * infrared "item inside" bits, bit 0 = lock 1.
 */
import type { BoardCodec, BoardFrame, BoardRequest, ScanResult } from "./BoardCodec.js";

export const STX = 0x02;
export const ETX = 0x03;
export const CMD_STATUS = 0x30;
export const CMD_UNLOCK = 0x31;
/** All CUs on the bus report (sent to address F0); each answers with its own `35` status frame. */
export const CMD_BUS_STATUS = 0x32;
export const CMD_UNLOCK_ALL = 0x33;
export const REPLY_STATUS = 0x35;
/** Board ids 0–15 (high nibble), locks 1–16 (low nibble 0–15). */
export const MAX_BOARD = 15;
export const MAX_LOCKS = 16;
const STATUS_LEN = 9;
const HOST_LEN = 5;

/** 8-bit sum of `bytes[from, to)` (the Kerong checksum). */
export function sum8(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += bytes[i]!;
  return s & 0xff;
}

/** Append the checksum to a frame body. */
export function withSum(body: number[]): Buffer {
  return Buffer.from([...body, sum8(Uint8Array.from(body))]);
}

function checkBoard(board: number): void {
  if (!Number.isInteger(board) || board < 0 || board > MAX_BOARD) throw new RangeError(`Kerong board id ${board} out of range 0–${MAX_BOARD}`);
}

/** `02 ADDR CMD 03 SUM`; channel 1–16 goes on the wire as lock index 0–15. */
export function encodeKerong(req: BoardRequest): Buffer {
  checkBoard(req.board);
  if (req.kind !== "unlock") return withSum([STX, req.board << 4, CMD_STATUS, ETX]);
  if (!Number.isInteger(req.channel) || req.channel < 1 || req.channel > MAX_LOCKS) throw new RangeError(`Kerong lock ${req.channel} out of range 1–${MAX_LOCKS}`);
  return withSum([STX, (req.board << 4) | (req.channel - 1), CMD_UNLOCK, ETX]);
}

/** `02 F0 32 03 27`: every board on the bus reports its status (lockerd polls board by board instead). */
export function encodeKerongBusStatus(): Buffer {
  return withSum([STX, 0xf0, CMD_BUS_STATUS, ETX]);
}

/** The 9-byte status reply a board sends (simulator side). `hooks`/`items` per lock, index 0 = lock 1. */
export function encodeKerongStatus(board: number, hooks: boolean[], items: boolean[]): Buffer {
  checkBoard(board);
  const bits = (levels: boolean[], from: number) => levels.slice(from, from + 8).reduce((b, on, i) => (on ? b | (1 << i) : b), 0);
  return withSum([STX, board << 4, REPLY_STATUS, bits(hooks, 0), bits(hooks, 8), bits(items, 0), bits(items, 8), ETX]);
}

const HOST_CMDS = new Set([CMD_STATUS, CMD_UNLOCK, CMD_BUS_STATUS, CMD_UNLOCK_ALL]);

/** A 5-byte host frame at `at`, as a request (undefined for shapes lockerd never sends: 32, 33). */
function hostAt(buf: Buffer, at: number): { valid: boolean; request?: BoardRequest } {
  if (buf[at + 3] !== ETX || !HOST_CMDS.has(buf[at + 2]!) || sum8(buf, at, at + 4) !== buf[at + 4]) return { valid: false };
  const addr = buf[at + 1]!;
  const board = addr >> 4;
  if (buf[at + 2] === CMD_UNLOCK) return { valid: true, request: { kind: "unlock", board, channel: (addr & 0x0f) + 1 } };
  if (buf[at + 2] === CMD_STATUS) return { valid: true, request: { kind: "queryAll", board } };
  return { valid: true };
}

function statusAt(buf: Buffer, at: number, expect?: BoardRequest): BoardFrame | undefined {
  if (buf[at + 2] !== REPLY_STATUS || buf[at + 7] !== ETX || sum8(buf, at, at + 8) !== buf[at + 8]) return undefined;
  const board = buf[at + 1]! >> 4;
  const bytes = Buffer.from(buf.subarray(at, at + STATUS_LEN));
  const status = Buffer.from(buf.subarray(at + 3, at + 7));
  // There is no per-lock query on this board: a query of one lock is a status read, answered for that lock.
  if (expect?.kind === "query" && expect.board === board) {
    const i = expect.channel - 1;
    return { kind: "queryReply", board, channel: expect.channel, feedbackClosed: (status[i >> 3]! & (1 << (i & 7))) !== 0, bytes };
  }
  return { kind: "queryAllReply", board, status, bytes };
}

/** Scan for the first complete, checksum-valid board frame (see `BoardCodec.scan`). */
export function scanKerong(buf: Buffer, expect?: BoardRequest): ScanResult {
  let firstPossible = -1;
  for (let at = 0; at < buf.length; at++) {
    if (buf[at] !== STX) continue;
    const avail = buf.length - at;
    if (avail >= STATUS_LEN) {
      const frame = statusAt(buf, at, expect);
      if (frame) return { type: "frame", skip: at, length: STATUS_LEN, frame };
    }
    if (avail >= HOST_LEN) {
      const host = hostAt(buf, at);
      // our own frame echoed by the adapter (or another master's)
      if (host.valid && host.request)
        return { type: "frame", skip: at, length: HOST_LEN, frame: { kind: "hostFrame", request: host.request, bytes: Buffer.from(buf.subarray(at, at + HOST_LEN)) } };
      if (host.valid) continue;
    }
    if (firstPossible < 0 && avail < STATUS_LEN) firstPossible = at;
  }
  return { type: "incomplete", skip: firstPossible < 0 ? buf.length : firstPossible };
}

/** Decode the host frame at the start of `buf` (what a board receives). Skips `32`/`33`: see `isBusStatusFrame`. */
export function scanHostKerong(buf: Buffer): ScanResult {
  for (let at = 0; at < buf.length; at++) {
    if (buf[at] !== STX) continue;
    if (buf.length - at < HOST_LEN) return { type: "incomplete", skip: at };
    const host = hostAt(buf, at);
    if (host.request)
      return { type: "frame", skip: at, length: HOST_LEN, frame: { kind: "hostFrame", request: host.request, bytes: Buffer.from(buf.subarray(at, at + HOST_LEN)) } };
  }
  return { type: "incomplete", skip: buf.length };
}

/** Bits of locks 1..channels from a pair of bytes (bit 0 of the first = lock 1). */
function bitsOf(status: Buffer, offset: number, channels: number): boolean[] {
  return Array.from({ length: channels }, (_, i) => i < MAX_LOCKS && (status[offset + (i >> 3)]! & (1 << (i & 7))) !== 0);
}

export const CodecKerong: BoardCodec = {
  name: "kerong",
  maxFrameLength: STATUS_LEN,
  unlockReplies: false,
  boardIds: { min: 0, max: MAX_BOARD },
  maxChannels: MAX_LOCKS,
  encode: encodeKerong,
  scanHost: scanHostKerong,
  scan: scanKerong,
  answers(req, frame) {
    if (req.kind === "unlock" || frame.kind === "hostFrame" || frame.board !== req.board) return false;
    if (req.kind === "queryAll") return frame.kind === "queryAllReply";
    return frame.kind === "queryReply" && frame.channel === req.channel;
  },
  // hook bits: bytes 0–1 of the status; the byte order is fixed on this board (the setting does not apply)
  channelLevels: (frame, channels) => bitsOf(frame.status, 0, channels),
  itemLevels: (frame, channels) => bitsOf(frame.status, 2, channels),
};
