/**
 * The link to one bus: opens a fresh transport (single-use) and builds the
 * bus and client over it, reopens with exponential backoff when the device or
 * socket is lost, and decides online/offline from the door monitor's polls.
 */
import { EventEmitter } from "node:events";
import type { BusConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { BoardCodec, BoardFrame } from "../protocol/BoardCodec.js";
import type { Clock } from "../util/clock.js";
import { hex, type Logger } from "../util/logger.js";
import { BoardBus, type FrameRecord } from "./BoardBus.js";
import { BoardClient } from "./BoardClient.js";
import { createTransport } from "./createTransport.js";
import type { SerialPortClass } from "./SerialTransport.js";

export interface BusConnectionEvents {
  frame: [FrameRecord];
  unsolicited: [BoardFrame];
  /** A lost transport was reopened (poll now rather than at the next tick). */
  reopened: [];
  offline: [{ reason: string; atWallMs: number }];
  online: [{ atWallMs: number }];
}

export interface BusConnectionOptions {
  bus: BusConfig;
  codec: BoardCodec;
  clock: Clock;
  /** Already namespaced ("board"). */
  log: Logger;
  binding?: SerialPortClass;
}

export class BusConnection extends EventEmitter<BusConnectionEvents> {
  private bus: BoardBus | undefined;
  private boardClient: BoardClient | undefined;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay: number;
  private readonly failedPolls = new Map<number, number>();
  private isOnline = false;
  private wasOffline = false;
  private polledOnce = false;
  private firstPollWaiters: (() => void)[] = [];

  constructor(private readonly opts: BusConnectionOptions) {
    super();
    this.reconnectDelay = opts.bus.reconnect.minDelayMs;
  }

  /** True while every configured board answers its polls. */
  get online(): boolean {
    return this.isOnline;
  }

  /** Open the transport; on failure report offline and keep trying, unless `failFast` (then throw). */
  async start(opts: { failFast?: boolean } = {}): Promise<void> {
    this.stopped = false;
    try {
      await this.connect();
    } catch (e) {
      if (opts.failFast) {
        this.stopped = true;
        throw e;
      }
      this.goOffline((e as Error).message);
      this.scheduleReconnect();
    }
  }

  /** No more reopen attempts (first step of stopping, before the monitor's last poll ends). */
  stopReconnecting(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
  }

  /** Stop reconnecting, let the exchange in flight finish, close the transport. */
  async stop(): Promise<void> {
    this.stopReconnecting();
    const bus = this.bus;
    this.bus = undefined;
    this.boardClient = undefined;
    await bus?.close();
  }

  /** The open bus; throws `Board_Offline` (nothing was sent) when there is none. */
  requireBus(): BoardBus {
    if (!this.bus?.isOpen)
      throw new LockerError(`board bus ${this.opts.bus.transport} is offline; nothing was sent`, ErrorCode.Board_Offline, { transport: this.opts.bus.transport });
    return this.bus;
  }

  /** The client over the open bus (see `requireBus`). */
  client(): BoardClient {
    this.requireBus();
    return this.boardClient!;
  }

  firstPoll(timeoutMs: number): Promise<void> {
    if (this.polledOnce) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new LockerError(`no complete poll of the board(s) within ${timeoutMs} ms`, ErrorCode.Board_Offline)), timeoutMs);
      this.firstPollWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** A board answered its poll. */
  pollAnswered(board: number): void {
    this.failedPolls.set(board, 0);
  }

  /** A board did not answer; `offlineAfterFailedPolls` in a row and the bus is offline. */
  pollFailed(board: number, err: unknown): void {
    const n = (this.failedPolls.get(board) ?? 0) + 1;
    this.failedPolls.set(board, n);
    if (n >= this.opts.bus.timeouts.offlineAfterFailedPolls) this.goOffline(`board ${board}: ${(err as Error).message}`);
  }

  /** After a poll round: online again once every board answered. */
  roundDone(): void {
    const allAnswer = this.opts.bus.boards.every((b) => this.failedPolls.get(b.address) === 0);
    if (!allAnswer) return;
    if (!this.polledOnce) {
      this.polledOnce = true;
      this.firstPollWaiters.splice(0).forEach((f) => f());
    }
    if (!this.isOnline) {
      this.isOnline = true;
      if (this.wasOffline) {
        this.opts.log.info("board online");
        this.emit("online", { atWallMs: this.opts.clock.wallMs() });
      }
    }
  }

  private goOffline(reason: string): void {
    if (!this.isOnline && this.wasOffline) return;
    this.isOnline = false;
    this.wasOffline = true;
    this.opts.log.warn({ reason }, "board offline");
    this.emit("offline", { reason, atWallMs: this.opts.clock.wallMs() });
  }

  private async connect(): Promise<void> {
    const { bus: cfg, codec, clock, log } = this.opts;
    const transport = createTransport({ transport: cfg.transport, baudRate: cfg.baudRate, portClass: this.opts.binding });
    await transport.open();
    if (this.stopped) {
      await transport.close(); // stop() came while the device was opening
      return;
    }
    const bus = new BoardBus(transport, codec, cfg.timeouts, clock);
    bus.on("frame", (f) => {
      if (log.isLevelEnabled("trace")) log.trace({ dir: f.dir }, `${f.dir === "tx" ? "->" : "<-"} ${hex(f.bytes)}`);
      this.emit("frame", f);
    });
    bus.on("unsolicited", (f: BoardFrame) => {
      log.debug({ kind: f.kind, bytes: hex(f.bytes) }, "unsolicited frame");
      this.emit("unsolicited", f);
    });
    bus.on("closed", (err) => {
      if (this.bus !== bus) return;
      this.bus = undefined;
      this.boardClient = undefined;
      if (this.stopped) return;
      this.goOffline(`transport lost: ${err?.message ?? "closed"}`);
      this.scheduleReconnect();
    });
    this.bus = bus;
    this.boardClient = new BoardClient(bus, codec, cfg.boards, cfg);
    this.reconnectDelay = cfg.reconnect.minDelayMs;
    log.info({ transport: transport.description, protocol: codec.name }, "bus open");
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.opts.bus.reconnect.maxDelayMs);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      try {
        await this.connect();
        this.emit("reopened");
      } catch (e) {
        this.opts.log.debug({ err: (e as Error).message, nextInMs: this.reconnectDelay }, "reopen failed");
        this.scheduleReconnect();
      }
    }, delay);
  }
}
