/**
 * The board layer's facade for the core (`DoorHardware`), in compartment
 * numbers. It composes the bus connection (transport, reconnect with backoff,
 * online/offline), the door monitor (polling), the door tracker (door cache,
 * item presence, tamper) and the technician tools (`probe`, `readBoards`,
 * `selftest`), and emits every frame for `lockerctl monitor`.
 */
import { EventEmitter } from "node:events";
import type { BusConfig, CompartmentConfig } from "../config/LockerConfig.js";
import type { DoorHardware, DoorHardwareEvents, DoorState, UnlockResult } from "./DoorHardware.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { systemClock, type Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { codecFor } from "../protocol/index.js";
import type { FrameRecord } from "./BoardBus.js";
import type { BoardReading, ChannelReading } from "./BoardClient.js";
import { BusConnection } from "./BusConnection.js";
import { DoorMonitor } from "./DoorMonitor.js";
import { DoorTracker } from "./DoorTracker.js";
import type { SerialPortClass } from "./SerialTransport.js";
import { TechnicianTools, type ProbeResult } from "./TechnicianTools.js";
import type { SelftestReport } from "./selftest.js";

export type LockerHardwareEvents = DoorHardwareEvents;
export type { FrameRecord, ProbeResult };

/**
 * A door cycle (open, a pouch put in or taken out, shut) shorter than this
 * cannot happen, ms: a hurried resident takes about 2 s; this is half.
 * Readings of a board further apart than this (or than three poll intervals,
 * if polls are configured that slow) may have missed a whole door cycle:
 * `blind`. Normal gaps are one poll interval plus any unlock holding the bus
 * (200 ms + ~100 ms on the real board).
 */
export const SHORTEST_DOOR_CYCLE_MS = 1000;

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

export class LockerHardware extends EventEmitter<LockerHardwareEvents> implements DoorHardware {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly byNumber = new Map<number, CompartmentConfig>();
  private readonly link: BusConnection;
  private readonly doors: DoorTracker;
  private readonly monitor: DoorMonitor;
  private readonly tools: TechnicianTools;
  /** performance.now() of each board's last reading (for `blind`). */
  private readonly lastReadingAt = new Map<number, number>();

  constructor(private readonly opts: LockerHardwareOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log.child({ ns: "board" });
    for (const c of opts.compartments) this.byNumber.set(c.number, c);
    this.link = new BusConnection({ bus: opts.bus, codec: codecFor(opts.bus.protocol), clock: this.clock, log: this.log, binding: opts.binding });
    this.doors = new DoorTracker(opts.compartments, this.clock, this.log, opts.commandedWindowMs);
    this.monitor = new DoorMonitor({
      boards: opts.bus.boards.map((b) => b.address),
      intervalMs: opts.bus.timeouts.pollIntervalMs,
      poll: (board) => this.link.client().queryAll(board, 1),
      onReading: (r) => {
        this.link.pollAnswered(r.board);
        this.noticeGap(r.board);
        this.doors.apply(r);
      },
      onFailure: (board, err) => this.link.pollFailed(board, err),
      onRound: () => this.link.roundDone(),
    });
    this.tools = new TechnicianTools(this.link, opts.bus, opts.compartments, (n, reason) => this.unlock(n, reason));
    this.link.on("frame", (f) => this.emit("frame", f));
    this.link.on("offline", (e) => this.emit("offline", e));
    this.link.on("online", (e) => this.emit("online", e));
    this.link.on("reopened", () => this.monitor.pollNow());
    this.link.on("unsolicited", (f) => f.kind === "doorEvent" && this.monitor.pollNow());
    this.doors.on("door", (e) => this.emit("door", e));
    this.doors.on("item", (e) => this.emit("item", e));
  }

  get online(): boolean {
    return this.link.online;
  }

  /**
   * Open the transport and start polling. Resolves even if the board is not
   * there yet (it then reports offline and keeps trying), unless `failFast`
   * (lockerctl), where the reason the transport could not open is thrown.
   */
  async start(opts: { failFast?: boolean } = {}): Promise<void> {
    await this.link.start(opts);
    if (this.opts.poll !== false) this.monitor.start();
  }

  /** Stop polling, let the exchange in flight finish, close the transport. */
  async stop(): Promise<void> {
    this.link.stopReconnecting();
    await this.monitor.stop();
    await this.link.stop();
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

  /** A reading of `board` came in: emit `blind` (before the reading is applied) if the last one was too long ago. */
  private noticeGap(board: number): void {
    const now = performance.now();
    const last = this.lastReadingAt.get(board);
    this.lastReadingAt.set(board, now);
    const limit = Math.max(SHORTEST_DOOR_CYCLE_MS, 3 * this.opts.bus.timeouts.pollIntervalMs);
    if (last === undefined || now - last <= limit) return;
    const compartments = this.opts.compartments.filter((c) => c.board === board).map((c) => c.number);
    const gapMs = Math.round(now - last);
    this.log.warn({ board, gapMs, limitMs: limit }, "doors went unread long enough to miss a door cycle; door cycles in progress count as unseen");
    this.emit("blind", { compartments, gapMs, atWallMs: this.clock.wallMs() });
  }

  /** Duration of the last complete poll round over every board, ms; undefined before the first. */
  pollLatencyMs(): number | undefined {
    return this.monitor.lastRoundMs;
  }

  doorState(compartment: number): DoorState {
    return this.doors.doorState(compartment);
  }

  doorStates(): Map<number, DoorState> {
    return this.doors.doorStates();
  }

  occupancy(compartment: number): boolean | undefined {
    return this.doors.occupancy(compartment);
  }

  firstPoll(timeoutMs: number): Promise<void> {
    return this.link.firstPoll(timeoutMs);
  }

  /** Pulse a compartment's lock and confirm it released (see `BoardClient.unlock`). */
  async unlock(compartment: number, reason: string): Promise<UnlockResult> {
    const c = this.compartment(compartment);
    const started = this.clock.monotonicMs();
    this.log.info({ compartment, board: c.board, channel: c.channel, reason }, "unlock");
    const r = await this.link
      .client()
      .unlock(c.board, c.channel, () => this.doors.pulsed(c.board, c.channel))
      .catch((e: unknown) => {
        this.log.warn({ compartment, board: c.board, channel: c.channel, err: (e as Error).message }, "unlock failed");
        throw e;
      });
    const result: UnlockResult = { compartment, pulses: r.pulses, acknowledged: r.acknowledged, door: "open", tookMs: Math.round(this.clock.monotonicMs() - started) };
    this.log.info({ ...result }, "unlocked");
    this.monitor.pollNow();
    return result;
  }

  /** A fresh status read of every configured board (not the cached poll). */
  readBoards(): Promise<BoardReading[]> {
    return this.tools.readBoards();
  }

  /** Query one channel now. */
  query(board: number, channel: number): Promise<ChannelReading> {
    return this.tools.query(board, channel);
  }

  /** Ask every address once for its status (see `TechnicianTools.probe`). */
  probe(addresses: number[], timeoutMs: number): Promise<ProbeResult[]> {
    return this.tools.probe(addresses, timeoutMs);
  }

  /** Board answers, every channel reads; with `cycle` every compartment is unlocked in turn and must read released. */
  selftest(opts: { cycle: boolean }): Promise<SelftestReport> {
    return this.tools.selftest(opts);
  }

  private compartment(n: number): CompartmentConfig {
    const c = this.byNumber.get(n);
    if (!c) throw new LockerError(`compartment ${n} is not configured (have ${[...this.byNumber.keys()].join(", ")})`, ErrorCode.Locker_CompartmentNotFound, { compartment: n });
    return c;
  }
}
