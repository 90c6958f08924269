/**
 * The board layer's facade for the core (`DoorHardware`): owns the transport
 * (reopened with backoff when it is lost), the bus, the client and the door
 * monitor, and speaks compartment numbers. Also serves the technician's
 * tools: `frame` events for monitor, `probe`, `readBoards`, `selftest`.
 */
import { EventEmitter } from "node:events";
import type { BusConfig, CompartmentConfig } from "../config/LockerConfig.js";
import type { DoorChangedEvent, DoorHardware, DoorHardwareEvents, DoorState, UnlockResult } from "./DoorHardware.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { systemClock, type Clock } from "../util/clock.js";
import { hex, type Logger } from "../util/logger.js";
import { codecFor } from "../protocol/index.js";
import type { BoardCodec, BoardFrame } from "../protocol/BoardCodec.js";
import { BoardBus, type FrameRecord } from "./BoardBus.js";
import { BoardClient, type BoardReading } from "./BoardClient.js";
import { DoorMonitor } from "./DoorMonitor.js";
import { createTransport } from "./createTransport.js";
import type { SerialPortClass } from "./SerialTransport.js";
import { runSelftest, type SelftestReport } from "./selftest.js";

export type LockerHardwareEvents = DoorHardwareEvents;
export type { FrameRecord };

export interface LockerHardwareOptions {
  bus: BusConfig;
  compartments: CompartmentConfig[];
  log: Logger;
  clock?: Clock;
  /** Serial port class (tests: `SerialPortMock`); default the real `SerialPort`. */
  binding?: SerialPortClass;
  /** Run the door monitor (default true; lockerctl's one-shot commands turn it off). */
  poll?: boolean;
  /** An open within this long after our pulse of that channel counts as commanded, ms. default 10000. */
  commandedWindowMs?: number;
}

/** Result of asking one address during `probe`. */
export interface ProbeResult {
  address: number;
  found: boolean;
  /** The query-all reply, hex, when found. */
  replyHex?: string;
  /** Status bytes in the reply (3 on 8- and 24-channel boards). */
  statusBytes?: number;
  /** Why not found (timeout, garbage seen…). */
  detail?: string;
}

export class LockerHardware extends EventEmitter<LockerHardwareEvents> implements DoorHardware {
  private readonly codec: BoardCodec;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly byNumber = new Map<number, CompartmentConfig>();
  private readonly byChannel = new Map<string, CompartmentConfig>();
  private readonly states = new Map<number, DoorState>();
  private readonly lastPulse = new Map<string, number>();
  private readonly failedPolls = new Map<number, number>();
  private readonly monitor: DoorMonitor;
  private bus: BoardBus | undefined;
  private client: BoardClient | undefined;
  private stopped = true;
  private isOnline = false;
  private wasOffline = false;
  private polledOnce = false;
  private firstPollWaiters: (() => void)[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay: number;

  constructor(private readonly opts: LockerHardwareOptions) {
    super();
    this.codec = codecFor(opts.bus.protocol);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log.child({ ns: "board" });
    this.reconnectDelay = opts.bus.reconnect.minDelayMs;
    for (const c of opts.compartments) {
      this.byNumber.set(c.number, c);
      this.byChannel.set(`${c.board}:${c.channel}`, c);
      this.states.set(c.number, "unknown");
    }
    this.monitor = new DoorMonitor({
      boards: opts.bus.boards.map((b) => b.address),
      intervalMs: opts.bus.timeouts.pollIntervalMs,
      poll: (board) => this.requireClient().queryAll(board, 1),
      onReading: (r) => this.onReading(r),
      onFailure: (board, err) => this.onPollFailure(board, err),
      onRound: () => this.onRound(),
    });
  }

  get online(): boolean {
    return this.isOnline;
  }

  /**
   * Open the transport and start polling. Resolves even if the board is not
   * there yet (it then reports offline and keeps trying), unless `failFast`
   * (lockerctl), where the reason the transport could not open is thrown.
   */
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
    if (this.opts.poll !== false) this.monitor.start();
  }

  /** Stop polling, let the exchange in flight finish, close the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.monitor.stop();
    const bus = this.bus;
    this.bus = undefined;
    this.client = undefined;
    await bus?.close();
  }

  /**
   * For the systemd watchdog: true while the door monitor runs and finished a
   * round recently (within 10 poll intervals, or the longest unlock + 5 s:
   * an unlock holds the bus and delays the poll).
   */
  loopAlive(): boolean {
    if (!this.monitor.isRunning) return false;
    const t = this.opts.bus.timeouts;
    const limit = Math.max(10 * t.pollIntervalMs, 2 * (t.unlockReplyMs + 2 * t.unlockVerifyMs) + 5000);
    return performance.now() - this.monitor.lastRoundAt < limit;
  }

  /** Duration of the last complete poll round over every board, ms; undefined before the first. */
  pollLatencyMs(): number | undefined {
    return this.monitor.lastRoundMs;
  }

  doorState(compartment: number): DoorState {
    return this.states.get(compartment) ?? "unknown";
  }

  doorStates(): Map<number, DoorState> {
    return new Map(this.states);
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

  /** Pulse a compartment's lock and confirm it released (see `BoardClient.unlock`). */
  async unlock(compartment: number, reason: string): Promise<UnlockResult> {
    const c = this.compartment(compartment);
    const started = this.clock.monotonicMs();
    this.log.info({ compartment, board: c.board, channel: c.channel, reason }, "unlock");
    const r = await this.requireClient()
      .unlock(c.board, c.channel, () => this.lastPulse.set(`${c.board}:${c.channel}`, this.clock.monotonicMs()))
      .catch((e: unknown) => {
        this.log.warn({ compartment, board: c.board, channel: c.channel, err: (e as Error).message }, "unlock failed");
        throw e;
      });
    const result: UnlockResult = { compartment, pulses: r.pulses, acknowledged: r.acknowledged, door: "open", tookMs: Math.round(this.clock.monotonicMs() - started) };
    this.log.info({ ...result }, "unlocked");
    this.monitor.pollNow();
    return result;
  }

  /** A fresh query-all of every configured board (not the cached poll). */
  async readBoards(): Promise<BoardReading[]> {
    const client = this.requireClient();
    const out: BoardReading[] = [];
    for (const b of this.opts.bus.boards) out.push(await client.queryAll(b.address));
    return out;
  }

  /** Query one channel now. */
  query(board: number, channel: number) {
    return this.requireClient().query(board, channel);
  }

  /** Ask every address once with query-all; a board that answers is found whatever its channel count. */
  async probe(addresses: number[], timeoutMs: number): Promise<ProbeResult[]> {
    const bus = this.requireBus();
    const out: ProbeResult[] = [];
    for (const address of addresses) {
      try {
        const f = await bus.request({ kind: "queryAll", board: address }, timeoutMs);
        out.push({ address, found: true, replyHex: f.bytes.toString("hex"), statusBytes: f.kind === "queryAllReply" ? f.status.length : undefined });
      } catch (e) {
        out.push({ address, found: false, detail: (e as Error).message });
      }
    }
    return out;
  }

  /** Board answers, every channel reads; with `cycle` every compartment is unlocked in turn and must read released. */
  selftest(opts: { cycle: boolean }): Promise<SelftestReport> {
    return runSelftest(
      {
        boards: this.opts.bus.boards.map((b) => b.address),
        compartments: this.opts.compartments,
        queryAll: (b) => this.requireClient().queryAll(b),
        query: (b, ch) => this.requireClient().query(b, ch),
        unlock: (n) => this.unlock(n, "selftest --cycle"),
      },
      opts.cycle,
    );
  }

  private compartment(n: number): CompartmentConfig {
    const c = this.byNumber.get(n);
    if (!c) throw new LockerError(`compartment ${n} is not configured (have ${[...this.byNumber.keys()].join(", ")})`, ErrorCode.Locker_CompartmentNotFound, { compartment: n });
    return c;
  }

  private requireBus(): BoardBus {
    if (!this.bus?.isOpen) throw new LockerError(`board bus ${this.opts.bus.transport} is offline; nothing was sent`, ErrorCode.Board_Offline, { transport: this.opts.bus.transport });
    return this.bus;
  }

  private requireClient(): BoardClient {
    this.requireBus();
    return this.client!;
  }

  private async connect(): Promise<void> {
    const transport = createTransport({ transport: this.opts.bus.transport, baudRate: this.opts.bus.baudRate, portClass: this.opts.binding });
    await transport.open();
    if (this.stopped) {
      await transport.close(); // stop() came while the device was opening
      return;
    }
    const bus = new BoardBus(transport, this.codec, this.opts.bus.timeouts, this.clock);
    bus.on("frame", (f) => {
      if (this.log.isLevelEnabled("trace")) this.log.trace({ dir: f.dir }, `${f.dir === "tx" ? "->" : "<-"} ${hex(f.bytes)}`);
      this.emit("frame", f);
    });
    bus.on("unsolicited", (f: BoardFrame) => {
      this.log.debug({ kind: f.kind, bytes: hex(f.bytes) }, "unsolicited frame");
      if (f.kind === "doorEvent") this.monitor.pollNow();
    });
    bus.on("closed", (err) => {
      if (this.bus !== bus) return;
      this.bus = undefined;
      this.client = undefined;
      if (this.stopped) return;
      this.goOffline(`transport lost: ${err?.message ?? "closed"}`);
      this.scheduleReconnect();
    });
    this.bus = bus;
    this.client = new BoardClient(bus, this.codec, this.opts.bus.boards, this.opts.bus);
    this.reconnectDelay = this.opts.bus.reconnect.minDelayMs;
    this.log.info({ transport: transport.description }, "bus open");
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
        this.monitor.pollNow();
      } catch (e) {
        this.log.debug({ err: (e as Error).message, nextInMs: this.reconnectDelay }, "reopen failed");
        this.scheduleReconnect();
      }
    }, delay);
  }

  private onReading(r: BoardReading): void {
    this.failedPolls.set(r.board, 0);
    const now = this.clock.monotonicMs();
    for (const ch of r.channels) {
      const c = this.byChannel.get(`${r.board}:${ch.channel}`);
      if (!c) continue;
      const state: DoorState = ch.shut ? "closed" : "open";
      const previous = this.states.get(c.number) ?? "unknown";
      if (previous === state) continue;
      this.states.set(c.number, state);
      const pulsed = this.lastPulse.get(`${r.board}:${ch.channel}`);
      const ev: DoorChangedEvent = {
        compartment: c.number,
        board: r.board,
        channel: ch.channel,
        state,
        previous,
        commanded: pulsed !== undefined && now - pulsed <= (this.opts.commandedWindowMs ?? 10_000),
        atMonotonicMs: now,
        atWallMs: this.clock.wallMs(),
      };
      if (state === "open" && !ev.commanded && previous !== "unknown") this.log.warn({ compartment: c.number }, "door opened without a command (tamper)");
      this.emit("door", ev);
    }
  }

  private onPollFailure(board: number, err: unknown): void {
    const n = (this.failedPolls.get(board) ?? 0) + 1;
    this.failedPolls.set(board, n);
    if (n >= this.opts.bus.timeouts.offlineAfterFailedPolls) this.goOffline(`board ${board}: ${(err as Error).message}`);
  }

  private onRound(): void {
    const allAnswer = this.opts.bus.boards.every((b) => this.failedPolls.get(b.address) === 0);
    if (!allAnswer) return;
    if (!this.polledOnce) {
      this.polledOnce = true;
      this.firstPollWaiters.splice(0).forEach((f) => f());
    }
    if (!this.isOnline) {
      this.isOnline = true;
      if (this.wasOffline) {
        this.log.info("board online");
        this.emit("online", { atWallMs: this.clock.wallMs() });
      }
    }
  }

  private goOffline(reason: string): void {
    if (!this.isOnline && this.wasOffline) return;
    this.isOnline = false;
    this.wasOffline = true;
    this.log.warn({ reason }, "board offline");
    this.emit("offline", { reason, atWallMs: this.clock.wallMs() });
  }
}
