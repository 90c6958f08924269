/**
 * One transaction in flight on a half-duplex bus. For each request the reply
 * waiter is registered before the write, the timeout is armed with the write
 * (so a write that never completes times out too) and re-armed after it, and
 * the exchange completes the moment a complete, checksum-valid answer is in
 * (no quiet-time wait). After a failure the bus waits `settleMs`, then drops
 * whatever arrived, so a late reply is never read as the next answer. Frames
 * that arrive while nothing waits (or that answer nothing) are unsolicited.
 */
import { EventEmitter } from "node:events";
import type { BoardCodec, BoardFrame, BoardRequest } from "../protocol/BoardCodec.js";
import { describeRequest } from "../protocol/BoardCodec.js";
import { FrameDecoder } from "../protocol/FrameDecoder.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { systemClock, type Clock } from "../util/clock.js";
import { Mutex } from "./Mutex.js";
import type { Transport } from "./Transport.js";

/** A frame on the wire, for `monitor` and traces. */
export interface FrameRecord {
  dir: "tx" | "rx" | "discard";
  bytes: Buffer;
  atWallMs: number;
}

export interface BoardBusEvents {
  frame: [FrameRecord];
  /** A valid frame nobody asked for: an `82` push, a late reply, another master's frame. */
  unsolicited: [BoardFrame];
  /** The transport ended; `error` set when it was lost. */
  closed: [Error | undefined];
}

export interface BoardBusOptions {
  /** Quiet time after a failed exchange before the next one, ms. */
  settleMs: number;
  /** Minimum idle gap between exchanges, ms. */
  interFrameGapMs: number;
}

interface Waiter {
  req: BoardRequest;
  tx: Buffer;
  /** Frames byte-identical to our TX that came back: echo, or (8A/80 quirk) an unlock reply with status 11. */
  ownBytes: number;
  resolve(frame: BoardFrame): void;
  reject(err: LockerError): void;
}

export class BoardBus extends EventEmitter<BoardBusEvents> {
  private readonly mutex = new Mutex();
  private readonly decoder: FrameDecoder;
  private waiter: Waiter | undefined;
  private lastActivityMs = -Infinity;
  private ended: Error | undefined | null = null;
  /** Whether the adapter echoes our TX, learnt from query exchanges; undefined until known. */
  private echoes: boolean | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly codec: BoardCodec,
    private readonly opts: BoardBusOptions,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.decoder = new FrameDecoder(codec, {
      frame: (f) => this.onFrame(f),
      discard: (bytes) => this.emit("frame", { dir: "discard", bytes, atWallMs: clock.wallMs() }),
    });
    transport.on("data", (chunk) => {
      this.lastActivityMs = clock.monotonicMs();
      this.decoder.push(chunk);
    });
    transport.once("close", (err) => {
      this.ended = err;
      this.waiter?.reject(new LockerError(`bus ${transport.description} closed${err ? `: ${err.message}` : ""}`, ErrorCode.Board_TransportClosed));
      this.emit("closed", err);
    });
  }

  /** True until the transport ended. */
  get isOpen(): boolean {
    return this.ended === null;
  }

  /**
   * Send `req` and resolve with its answer. Rejects with `Board_NoReply`
   * (context `{board, channel?, sawOwnBytes}`) after `timeoutMs`, or
   * `Board_TransportClosed` when the pipe ends.
   */
  request(req: BoardRequest, timeoutMs: number): Promise<BoardFrame> {
    return this.mutex.run(() => this.exchange(req, timeoutMs));
  }

  /**
   * Send a request the board never answers (a Kerong unlock): resolves once the
   * bytes are out; rejects with `Board_NoReply` (stage "write") when the write
   * does not complete within `timeoutMs` — the outcome is then unknown.
   */
  send(req: BoardRequest, timeoutMs: number): Promise<void> {
    return this.mutex.run(() => this.sendOnly(req, timeoutMs));
  }

  /** Waits for the exchange in flight, then closes the transport. */
  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.isOpen) await this.transport.close();
    });
  }

  private async exchange(req: BoardRequest, timeoutMs: number): Promise<BoardFrame> {
    if (!this.isOpen) throw new LockerError(`bus ${this.transport.description} is closed`, ErrorCode.Board_TransportClosed, { board: req.board });
    const gap = this.lastActivityMs + this.opts.interFrameGapMs - this.clock.monotonicMs();
    if (gap > 0) await sleep(gap);
    const tx = this.codec.encode(req);
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    let waiter!: Waiter;
    const answer = new Promise<BoardFrame>((resolve, reject) => {
      const done = () => {
        settled = true;
        clearTimeout(timer);
      };
      waiter = { req, tx, ownBytes: 0, resolve: (f) => (done(), resolve(f)), reject: (e) => (done(), reject(e)) };
    });
    this.waiter = waiter;
    this.decoder.expect = req;
    try {
      this.emit("frame", { dir: "tx", bytes: tx, atWallMs: this.clock.wallMs() });
      // Armed before the write: a write that never completes (stuck driver, flow control) times out
      // like a lost reply instead of holding the bus until the watchdog. Re-armed once the bytes are
      // out, so the board still gets the full `timeoutMs` to answer.
      timer = setTimeout(() => this.timeout(waiter, timeoutMs, "write"), timeoutMs);
      this.transport.write(tx).then(
        () => {
          this.lastActivityMs = this.clock.monotonicMs();
          // the reply may already be in (the write callback can come late on a loaded machine)
          if (settled) return;
          clearTimeout(timer);
          timer = setTimeout(() => this.timeout(waiter, timeoutMs, "reply"), timeoutMs);
        },
        (e: LockerError) => waiter.reject(e),
      );
      return await answer;
    } catch (err) {
      await this.recover();
      throw err;
    } finally {
      settled = true;
      clearTimeout(timer);
      this.waiter = undefined;
      this.decoder.expect = undefined;
      this.lastActivityMs = this.clock.monotonicMs();
    }
  }

  /**
   * `stage` "write": the transport never reported the bytes out; like a lost reply the outcome is
   * unknown (some bytes may have left), so the same code: an unlock is then verified, never re-sent.
   */
  private async sendOnly(req: BoardRequest, timeoutMs: number): Promise<void> {
    if (!this.isOpen) throw new LockerError(`bus ${this.transport.description} is closed`, ErrorCode.Board_TransportClosed, { board: req.board });
    const gap = this.lastActivityMs + this.opts.interFrameGapMs - this.clock.monotonicMs();
    if (gap > 0) await sleep(gap);
    const tx = this.codec.encode(req);
    let timer: NodeJS.Timeout | undefined;
    const w: Waiter = { req, tx, ownBytes: 0, resolve: () => undefined, reject: () => undefined };
    try {
      this.emit("frame", { dir: "tx", bytes: tx, atWallMs: this.clock.wallMs() });
      await new Promise<void>((resolve, reject) => {
        w.reject = reject;
        this.waiter = w; // frames arriving meanwhile are ours (echo) or unsolicited, never an answer
        timer = setTimeout(() => this.timeout(w, timeoutMs, "write"), timeoutMs);
        this.transport.write(tx).then(resolve, reject);
      });
    } catch (err) {
      await this.recover();
      throw err;
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
      this.lastActivityMs = this.clock.monotonicMs();
    }
  }

  private timeout(w: Waiter, ms: number, stage: "write" | "reply"): void {
    if (this.waiter !== w) return;
    const what = describeRequest(w.req);
    const ctx: Record<string, unknown> = { board: w.req.board, timeoutMs: ms, sawOwnBytes: w.ownBytes > 0, stage };
    if (w.req.kind !== "queryAll") ctx.channel = w.req.channel;
    const msg = stage === "write" ? `write of ${what} did not complete within ${ms} ms (${this.transport.description})` : `no reply to ${what} after ${ms} ms`;
    w.reject(new LockerError(msg, ErrorCode.Board_NoReply, ctx));
  }

  /** After a failed exchange: let late bytes drain, then drop them (reported as discarded). */
  private async recover(): Promise<void> {
    this.waiter = undefined;
    if (this.opts.settleMs > 0) await sleep(this.opts.settleMs);
    this.decoder.flush();
    // bounded: a port whose write is stuck may not answer a flush either, and the bus must go on
    if (this.isOpen) await Promise.race([this.transport.flush().catch(() => undefined), sleep(FLUSH_LIMIT_MS)]);
  }

  private onFrame(frame: BoardFrame): void {
    this.emit("frame", { dir: "rx", bytes: frame.bytes, atWallMs: this.clock.wallMs() });
    const w = this.waiter;
    if (w && frame.bytes.equals(w.tx)) {
      w.ownBytes++;
      if (w.req.kind !== "unlock") {
        this.echoes = true;
        return;
      }
      // An unlock reply with status 11 has the command's exact bytes (PROTOCOL.md). Take it as the
      // reply only when the adapter's echo behaviour is known; otherwise wait and let the client query.
      const replyIsHere = (this.echoes === false && w.ownBytes >= 1) || (this.echoes === true && w.ownBytes >= 2);
      if (replyIsHere && this.codec.answers(w.req, frame)) {
        this.waiter = undefined;
        w.resolve(frame);
      }
      return;
    }
    if (frame.kind === "hostFrame") return;
    if (w && this.codec.answers(w.req, frame)) {
      // an echo comes back within the TX time, before any reply: none seen means the adapter does not echo
      if (w.req.kind !== "unlock" && w.ownBytes === 0) this.echoes = false;
      this.waiter = undefined;
      w.resolve(frame);
      return;
    }
    this.emit("unsolicited", frame);
  }
}

/** Longest wait for the transport to drop stale bytes after a failed exchange, ms. */
const FLUSH_LIMIT_MS = 200;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
