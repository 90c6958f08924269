/**
 * Board operations over one bus, in board address + channel: unlock (with
 * verify-before-retry semantics), query one, query all, probe. Interprets
 * status bytes with each board's feedback polarity and byte order.
 */
import type { BoardConfig, BusConfig } from "../config/LockerConfig.js";
import type { BoardCodec } from "../protocol/BoardCodec.js";
import { ErrorCode, LockerError, isLockerError } from "../errors/LockerError.js";
import type { BoardBus } from "./BoardBus.js";
import { effectOf, initialUnlockState, nextUnlockState, unlockError, type UnlockState } from "./unlockMachine.js";

/** Door/lock reading of one channel: `shut` = door closed and latched (the feedback model in PROTOCOL.md). */
export interface ChannelReading {
  channel: number;
  /** Raw input level: true = the feedback switch conducts. */
  level: boolean;
  shut: boolean;
  /** Something is inside (boards with item sensors only, e.g. Kerong infrared); undefined = no sensor. */
  item?: boolean;
}

export interface BoardReading {
  board: number;
  channels: ChannelReading[];
  /** The reply as received, hex. */
  replyHex: string;
}

export interface ClientUnlockResult {
  pulses: number;
  acknowledged: boolean;
}

/** Pause between status reads while waiting for a fire-and-forget pulse to release the latch, ms. */
const VERIFY_EVERY_MS = 50;

export type ClientTiming = Pick<BusConfig, "timeouts" | "attempts">;

export class BoardClient {
  private readonly boards = new Map<number, BoardConfig>();

  constructor(
    private readonly bus: BoardBus,
    private readonly codec: BoardCodec,
    boards: BoardConfig[],
    private readonly timing: ClientTiming,
  ) {
    for (const b of boards) this.boards.set(b.address, b);
  }

  /** The board's profile; throws `Board_UnknownAddress` when it is not configured. */
  profile(address: number): BoardConfig {
    const b = this.boards.get(address);
    if (!b) throw new LockerError(`board ${address} is not in the bus configuration`, ErrorCode.Board_UnknownAddress, { board: address });
    return b;
  }

  /** Query every channel of a board (retried up to `attempts.query` times). */
  async queryAll(address: number, attempts = this.timing.attempts.query): Promise<BoardReading> {
    const p = this.profile(address);
    const frame = await this.retry(attempts, () => this.bus.request({ kind: "queryAll", board: address }, this.timing.timeouts.queryReplyMs));
    if (frame.kind !== "queryAllReply") throw new LockerError(`unexpected ${frame.kind} from board ${address}`, ErrorCode.Frame_Malformed);
    const levels = this.codec.channelLevels(frame, p.channels, p.statusByteOrder);
    const items = this.codec.itemLevels?.(frame, p.channels);
    return {
      board: address,
      channels: levels.map((level, i) => ({ channel: i + 1, level, shut: this.shut(p, level), ...(items ? { item: items[i] } : {}) })),
      replyHex: frame.bytes.toString("hex"),
    };
  }

  /** Query one channel (retried). */
  async query(address: number, channel: number, attempts = this.timing.attempts.query): Promise<ChannelReading> {
    const p = this.profile(address);
    this.checkChannel(p, channel);
    const frame = await this.retry(attempts, () => this.bus.request({ kind: "query", board: address, channel }, this.timing.timeouts.queryReplyMs));
    if (frame.kind !== "queryReply") throw new LockerError(`unexpected ${frame.kind} from board ${address}`, ErrorCode.Frame_Malformed);
    return { channel, level: frame.feedbackClosed, shut: this.shut(p, frame.feedbackClosed) };
  }

  /**
   * Pulse one lock and confirm it released. On a lost or refused reply the
   * lock is queried first; a second pulse only if it still reads shut.
   * Throws `Board_LockFault` (still shut) or `Board_NoReply` (outcome unknown).
   */
  async unlock(address: number, channel: number, onPulse?: () => void): Promise<ClientUnlockResult> {
    const p = this.profile(address);
    this.checkChannel(p, channel);
    let s: UnlockState = initialUnlockState;
    for (;;) {
      const effect = effectOf(s);
      if (effect.do === "finish") break;
      if (effect.do === "pulse") {
        onPulse?.();
        if (!this.codec.unlockReplies) {
          // fire-and-forget board (Kerong): the pulse is confirmed by status reads only
          await this.bus.send({ kind: "unlock", board: address, channel }, this.timing.timeouts.unlockReplyMs).then(
            () => (s = nextUnlockState(s, { type: "sent" }, this.timing.attempts.unlock)),
            (e: unknown) => {
              if (!isLockerError(e, ErrorCode.Board_NoReply)) throw e;
              s = nextUnlockState(s, { type: "replyLost" }, this.timing.attempts.unlock);
            },
          );
          continue;
        }
        try {
          const f = await this.bus.request({ kind: "unlock", board: address, channel }, this.timing.timeouts.unlockReplyMs);
          const released = f.kind === "unlockReply" && !this.shut(p, f.feedbackClosed);
          s = nextUnlockState(s, { type: "reply", released }, this.timing.attempts.unlock);
        } catch (e) {
          if (!isLockerError(e, ErrorCode.Board_NoReply)) throw e;
          s = nextUnlockState(s, { type: "replyLost" }, this.timing.attempts.unlock);
        }
      } else {
        try {
          const shut = this.codec.unlockReplies ? await this.readShut(p, channel) : await this.watchRelease(p, channel);
          s = nextUnlockState(s, { type: "verified", shut }, this.timing.attempts.unlock);
        } catch (e) {
          if (!isLockerError(e, ErrorCode.Board_NoReply)) throw e;
          s = nextUnlockState(s, { type: "verifyLost" }, this.timing.attempts.unlock);
        }
      }
    }
    if (s.name === "failure") throw unlockError(s.reason, { board: address, channel, pulses: s.pulses });
    if (s.name !== "success") throw new Error("unlock machine stopped in a non-final state");
    return { pulses: s.pulses, acknowledged: s.acknowledged };
  }

  /** One verification read of a lock (retried on a lost reply): true = still shut. */
  private async readShut(p: BoardConfig, channel: number): Promise<boolean> {
    const r = await this.retry(this.timing.attempts.query, () => this.bus.request({ kind: "query", board: p.address, channel }, this.timing.timeouts.unlockVerifyMs));
    return r.kind === "queryReply" ? this.shut(p, r.feedbackClosed) : true;
  }

  /**
   * After a pulse the board does not answer: read the lock every
   * VERIFY_EVERY_MS until it reads released or `unlockVerifyMs` has passed
   * (the latch lets go during the pulse, < 1 s on KR-CU per reference B.1).
   * Throws `Board_NoReply` only if no read at all was answered.
   */
  private async watchRelease(p: BoardConfig, channel: number): Promise<boolean> {
    const end = performance.now() + this.timing.timeouts.unlockVerifyMs;
    let shut: boolean | undefined;
    let lost: unknown;
    for (;;) {
      try {
        const r = await this.bus.request({ kind: "query", board: p.address, channel }, this.timing.timeouts.queryReplyMs);
        shut = r.kind === "queryReply" ? this.shut(p, r.feedbackClosed) : true;
        if (!shut) return false;
      } catch (e) {
        if (!isLockerError(e, ErrorCode.Board_NoReply)) throw e;
        lost = e;
      }
      if (performance.now() >= end) break;
      await new Promise((r) => setTimeout(r, VERIFY_EVERY_MS));
    }
    if (shut === undefined) throw lost;
    return shut;
  }

  private shut(p: BoardConfig, level: boolean): boolean {
    return p.feedback === "closedWhenLocked" ? level : !level;
  }

  private checkChannel(p: BoardConfig, channel: number): void {
    if (!Number.isInteger(channel) || channel < 1 || channel > p.channels)
      throw new LockerError(`channel ${channel} does not exist on board ${p.address} (1–${p.channels})`, ErrorCode.Board_UnknownAddress, { board: p.address, channel });
  }

  /** Repeat a safe-to-repeat exchange on `Board_NoReply` only. */
  private async retry<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (i >= attempts || !isLockerError(e, ErrorCode.Board_NoReply)) throw e;
      }
    }
  }
}
