/**
 * Lock boards of one protocol (8A/80 or Kerong KR-CU) sharing one bus,
 * attachable to any Duplex (a real pty, a TCP socket). Decodes host frames,
 * answers byte for byte as the addressed board would (a Kerong board never
 * answers an unlock), applies injected faults, optionally paces every byte at
 * the baud rate (10 bits per character), and records every frame it received.
 */
import type { Duplex } from "node:stream";
import { LEVEL_CLOSED, LEVEL_OPEN, statusBytes, withBcc, HEAD_PUSH } from "../../src/protocol/Codec8A80.js";
import { encodeKerongBusStatus, encodeKerongStatus } from "../../src/protocol/CodecKerong.js";
import type { BoardCodec, BoardRequest } from "../../src/protocol/BoardCodec.js";
import { codecFor, type ProtocolName } from "../../src/protocol/index.js";
import { MockLockBoard, type SimBoardOptions } from "./MockLockBoard.js";

export type FaultKind =
  /** The board acts (the pulse fires) but its reply is lost. */
  | "noReply"
  /** The board never heard the frame: no action, no reply. */
  | "ignore"
  /** The reply comes `delayMs` late. */
  | "lateReply"
  /** The reply's last byte (BCC) is wrong. */
  | "badChecksum"
  /** The reply arrives in `pieces` parts `gapMs` apart. */
  | "split"
  /** `bytes` (hex) of garbage go out before the reply. */
  | "garbage"
  /** The host's frame comes straight back (adapter echo) before the reply. */
  | "echo";

export interface Fault {
  kind: FaultKind;
  /** Replies it applies to, default 1. */
  count?: number;
  /** Only requests of this kind / to this board. */
  requestKind?: BoardRequest["kind"];
  board?: number;
  delayMs?: number;
  gapMs?: number;
  pieces?: number;
  bytes?: string;
}

export interface ReceivedFrame {
  hex: string;
  request: BoardRequest;
  atWallMs: number;
}

export interface LockBusSimulatorOptions {
  /** Wire protocol of every board, default "8a80". */
  protocol?: ProtocolName;
  boards: SimBoardOptions[];
  /** Pace every byte at this baud rate (10 bits/char); undefined = as fast as the pipe goes. */
  paceBaud?: number;
  /** Board processing time before answering a query, ms. default 5. */
  queryDelayMs?: number;
  /** Pulse length: the 8A/80 unlock reply comes this long after the command, ms. default 300. */
  pulseMs?: number;
}

/** Frames kept for `received`: the demo polls 5 times a second for days, so keep only the newest. */
export const RECEIVED_FRAMES_KEPT = 20_000;

export class LockBusSimulator {
  readonly protocol: ProtocolName;
  readonly boards = new Map<number, MockLockBoard>();
  /** The newest RECEIVED_FRAMES_KEPT host frames, oldest first. */
  readonly received: ReceivedFrame[] = [];
  private faults: (Fault & { left: number })[] = [];
  private streams = new Set<Duplex>();
  private lineFreeAt = 0;
  private hostLineFreeAt = 0;
  queryDelayMs: number;
  pulseMs: number;
  paceBaud: number | undefined;
  private readonly codec: BoardCodec;

  constructor(opts: LockBusSimulatorOptions) {
    this.protocol = opts.protocol ?? "8a80";
    this.codec = codecFor(this.protocol);
    for (const b of opts.boards) this.boards.set(b.address, new MockLockBoard(b));
    this.queryDelayMs = opts.queryDelayMs ?? 5;
    this.pulseMs = opts.pulseMs ?? 300;
    this.paceBaud = opts.paceBaud;
  }

  /** Serve the host on this stream until it ends. */
  attach(stream: Duplex): void {
    this.streams.add(stream);
    let buf: Buffer = Buffer.alloc(0);
    stream.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (this.protocol === "kerong") buf = this.takeBusStatus(stream, buf);
      for (;;) {
        const r = this.codec.scanHost(buf);
        if (r.type === "incomplete") {
          buf = buf.subarray(r.skip);
          break;
        }
        buf = buf.subarray(r.skip + r.length);
        if (r.frame.kind === "hostFrame") void this.handle(stream, r.frame.request, r.frame.bytes);
      }
    });
    const drop = () => this.streams.delete(stream);
    stream.on("close", drop);
    stream.on("error", drop);
  }

  /** Queue a fault for the next matching replies. */
  inject(f: Fault): void {
    this.faults.push({ ...f, left: f.count ?? 1 });
  }

  /** Send an unsolicited `82 BB LL SS X` door push (8A/80 firmware that reports changes) to every attached host. */
  push(board: number, channel: number): void {
    if (this.protocol !== "8a80") throw new RangeError("door pushes (82 frames) exist on 8A/80 boards only");
    const b = this.board(board);
    const frame = withBcc([HEAD_PUSH, board, channel, b.level(channel) ? LEVEL_CLOSED : LEVEL_OPEN]);
    for (const s of this.streams) void this.send(s, frame);
  }

  board(address: number): MockLockBoard {
    const b = this.boards.get(address);
    if (!b) throw new RangeError(`no simulated board at address ${address}`);
    return b;
  }

  /** Doors closed, faults cleared, record emptied. */
  reset(): void {
    for (const b of this.boards.values()) b.reset();
    this.faults = [];
    this.received.length = 0;
  }

  stop(): void {
    for (const b of this.boards.values()) b.stop();
  }

  private takeFault(req: BoardRequest): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.requestKind || f.requestKind === req.kind) && (!f.board || f.board === req.board));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (--f.left <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async handle(stream: Duplex, req: BoardRequest, bytes: Buffer): Promise<void> {
    const atWallMs = Date.now();
    // a paced line delivers the last byte one frame-time after the first; frames the host wrote back to
    // back (a Kerong unlock then its status read) follow each other on the wire, they do not overlap
    if (this.paceBaud) {
      const done = Math.max(performance.now(), this.hostLineFreeAt) + this.charMs() * bytes.length;
      this.hostLineFreeAt = done;
      await this.waitUntil(done);
    }
    this.received.push({ hex: bytes.toString("hex"), request: req, atWallMs });
    if (this.received.length > RECEIVED_FRAMES_KEPT) this.received.splice(0, this.received.length - RECEIVED_FRAMES_KEPT);
    const board = this.boards.get(req.board);
    const fault = board ? this.takeFault(req) : undefined;
    if (fault?.kind === "echo") await this.send(stream, bytes);
    if (!board || fault?.kind === "ignore") return;
    if (req.kind !== "queryAll" && !board.has(req.channel)) return;
    let reply: Buffer;
    if (req.kind === "unlock") {
      board.pulse(req.channel);
      // a Kerong board never answers an unlock (reference B.4): the host confirms with a status read
      if (this.protocol === "kerong") return;
      if (this.pulseMs > 0) await sleep(this.pulseMs);
      reply = withBcc([0x8a, req.board, req.channel, board.level(req.channel) ? LEVEL_CLOSED : LEVEL_OPEN]);
    } else {
      if (this.queryDelayMs > 0) await sleep(this.queryDelayMs);
      reply = this.statusReply(board, req);
    }
    switch (fault?.kind) {
      case "noReply":
        return;
      case "lateReply":
        await sleep(fault.delayMs ?? 3000);
        break;
      case "badChecksum":
        reply[reply.length - 1]! ^= 0xff;
        break;
      case "garbage":
        await this.send(stream, Buffer.from((fault.bytes ?? "fafd9999").replace(/\s+/g, ""), "hex"));
        break;
      case "split": {
        const pieces = Math.max(2, fault.pieces ?? 3);
        const size = Math.ceil(reply.length / pieces);
        for (let i = 0; i < reply.length; i += size) {
          await this.send(stream, reply.subarray(i, i + size));
          await sleep(fault.gapMs ?? 30);
        }
        return;
      }
    }
    await this.send(stream, reply);
  }

  private statusReply(board: MockLockBoard, req: BoardRequest): Buffer {
    if (this.protocol === "kerong") return encodeKerongStatus(board.address, board.levels(), board.items());
    if (req.kind === "query") return withBcc([0x80, req.board, req.channel, board.level(req.channel) ? LEVEL_CLOSED : LEVEL_OPEN]);
    return withBcc([0x80, req.board, ...statusBytes(board.levels(), board.statusByteCount, board.statusByteOrder), 0x33]);
  }

  /** Kerong `02 F0 32 03 27` (all boards report): each board answers with its status frame, lowest id first. */
  private takeBusStatus(stream: Duplex, buf: Buffer): Buffer {
    const frame = encodeKerongBusStatus();
    const at = buf.indexOf(frame);
    if (at < 0) return buf;
    void (async () => {
      for (const b of [...this.boards.values()].sort((x, y) => x.address - y.address)) {
        if (this.queryDelayMs > 0) await sleep(this.queryDelayMs);
        await this.send(stream, encodeKerongStatus(b.address, b.levels(), b.items()));
      }
    })();
    return Buffer.concat([buf.subarray(0, at), buf.subarray(at + frame.length)]);
  }

  /** ms per character on the wire at `paceBaud` (8N1 = 10 bits). */
  private charMs(): number {
    return this.paceBaud ? 10_000 / this.paceBaud : 0;
  }

  private async send(stream: Duplex, bytes: Buffer): Promise<void> {
    if (stream.destroyed) return;
    if (!this.paceBaud) {
      stream.write(bytes);
      return;
    }
    // one talker at a time on the simulated wire; each byte leaves when its 10 bit times are over
    let t = Math.max(performance.now(), this.lineFreeAt);
    this.lineFreeAt = t + this.charMs() * bytes.length;
    for (const byte of bytes) {
      t += this.charMs();
      await this.waitUntil(t);
      if (!stream.destroyed) stream.write(Buffer.from([byte]));
    }
  }

  /** Sleep to a performance.now() target with sub-millisecond precision (timers alone are ±1 ms). */
  private async waitUntil(target: number): Promise<void> {
    for (;;) {
      const left = target - performance.now();
      if (left <= 0) return;
      if (left > 2) await sleep(left - 1.5);
      else await new Promise((r) => setImmediate(r));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
