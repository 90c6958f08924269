/**
 * One simulated lock board (8A/80 or Kerong): per channel a latch, a door,
 * whether something is inside, and a simulated person. The feedback input
 * reads "shut" = door closed AND latch engaged; the board reports the input
 * level per its feedback polarity (hardware/PROTOCOL.md, "door and latch
 * model"). Item presence is reported only by boards with sensors (Kerong).
 */
import type { FeedbackPolarity, StatusByteOrder } from "../../src/config/LockerConfig.js";

/** What happens at a channel when it is pulsed. */
export type PersonBehaviour =
  /** Latch releases; the door opens `openAfterMs` later and closes `closeAfterMs` after that. */
  | "normal"
  /** Latch releases but nobody opens; it relatches after `relatchAfterMs`. */
  | "walkAway"
  /** The latch never releases. */
  | "jammed"
  /** The door stays open whatever happens (reads open). */
  | "stuckOpen";

/** What the simulated person does with the pouch while the door is open. */
export type ItemAction =
  /** Swap: an empty compartment gets the pouch (drop-off, return), an occupied one is emptied (collect, pickup). Default. */
  | "swap"
  /** Touches nothing: walks away with the pouch, or leaves it behind. */
  | "none";

export interface ChannelBehaviour {
  behaviour: PersonBehaviour;
  /** default "swap". */
  itemAction: ItemAction;
  /** ms from the pulse to the door opening (normal). default 800. */
  openAfterMs: number;
  /** ms the door stays open before it is closed again (normal); 0 = stays open until told. default 5000. */
  closeAfterMs: number;
  /** ms after an unopened release until the latch re-engages. default 10000. */
  relatchAfterMs: number;
}

export interface SimBoardOptions {
  /** Address as the protocol numbers it: 8A/80 DIP 1–31, Kerong id 0–15. */
  address: number;
  /** Channels wired, default 8. */
  channels?: number;
  /** Status bytes in the query-all reply, default 3 (as real 8- and 24-channel boards). */
  statusBytes?: number;
  feedback?: FeedbackPolarity;
  statusByteOrder?: StatusByteOrder;
}

export const DEFAULT_BEHAVIOUR: ChannelBehaviour = { behaviour: "normal", itemAction: "swap", openAfterMs: 800, closeAfterMs: 5000, relatchAfterMs: 10_000 };

interface Channel extends ChannelBehaviour {
  latched: boolean;
  doorClosed: boolean;
  item: boolean;
  timers: NodeJS.Timeout[];
}

export class MockLockBoard {
  readonly address: number;
  readonly channelCount: number;
  readonly statusByteCount: number;
  readonly feedback: FeedbackPolarity;
  readonly statusByteOrder: StatusByteOrder;
  private channels: Channel[] = [];

  constructor(opts: SimBoardOptions) {
    this.address = opts.address;
    this.channelCount = opts.channels ?? 8;
    this.statusByteCount = opts.statusBytes ?? 3;
    this.feedback = opts.feedback ?? "closedWhenLocked";
    this.statusByteOrder = opts.statusByteOrder ?? "lastByteFirstChannels";
    this.reset();
  }

  /** All doors closed and latched, default behaviour, timers cancelled. */
  reset(): void {
    for (const c of this.channels) c.timers.forEach(clearTimeout);
    this.channels = Array.from({ length: this.channelCount }, () => ({ ...DEFAULT_BEHAVIOUR, latched: true, doorClosed: true, item: false, timers: [] }));
  }

  has(channel: number): boolean {
    return channel >= 1 && channel <= this.channelCount;
  }

  /** Door closed and latched (what the feedback switch senses). */
  shut(channel: number): boolean {
    const c = this.ch(channel);
    return c.doorClosed && c.latched && c.behaviour !== "stuckOpen";
  }

  /** Feedback input level (true = conducts) after polarity. */
  level(channel: number): boolean {
    return this.feedback === "closedWhenLocked" ? this.shut(channel) : !this.shut(channel);
  }

  levels(): boolean[] {
    return Array.from({ length: this.channelCount }, (_, i) => this.level(i + 1));
  }

  /** Something is inside (what an infrared sensor sees). */
  item(channel: number): boolean {
    return this.ch(channel).item;
  }

  items(): boolean[] {
    return this.channels.map((c) => c.item);
  }

  /** Put something in or take it out by hand (an item appearing in a free compartment, a pouch removed). */
  setItem(channel: number, present: boolean): void {
    this.ch(channel).item = present;
  }

  /** Fire the unlock pulse: the latch lets go unless jammed; the simulated person acts. */
  pulse(channel: number): void {
    const c = this.ch(channel);
    if (c.behaviour === "jammed") return;
    c.latched = false;
    if (c.behaviour === "normal" && c.doorClosed) {
      c.timers.push(setTimeout(() => this.openDoor(channel, false), c.openAfterMs));
    } else if (c.doorClosed) {
      c.timers.push(setTimeout(() => c.doorClosed && (c.latched = true), c.relatchAfterMs));
    }
  }

  /** Open the door (after a release, or by hand: a forced open is what the daemon calls tamper). */
  openDoor(channel: number, byHand = true): void {
    const c = this.ch(channel);
    c.latched = false;
    c.doorClosed = false;
    // the person at the door swaps the pouch while it is open (only a commanded, normal visit)
    if (c.behaviour === "normal" && c.itemAction === "swap" && !byHand) c.item = !c.item;
    if (c.behaviour === "normal" && c.closeAfterMs > 0) c.timers.push(setTimeout(() => this.closeDoor(channel), c.closeAfterMs));
  }

  /** Close the door; the latch snaps back in. */
  closeDoor(channel: number): void {
    const c = this.ch(channel);
    if (c.behaviour === "stuckOpen") return;
    c.doorClosed = true;
    c.latched = true;
  }

  setBehaviour(channel: number, b: Partial<ChannelBehaviour>): void {
    Object.assign(this.ch(channel), b);
    if (b.behaviour === "stuckOpen") Object.assign(this.ch(channel), { doorClosed: false, latched: false });
  }

  /** Snapshot for the control interface. */
  snapshot(): {
    address: number;
    channels: { channel: number; doorClosed: boolean; latched: boolean; shut: boolean; item: boolean; behaviour: PersonBehaviour; itemAction: ItemAction }[];
  } {
    return {
      address: this.address,
      channels: this.channels.map((c, i) => ({
        channel: i + 1,
        doorClosed: c.doorClosed,
        latched: c.latched,
        shut: this.shut(i + 1),
        item: c.item,
        behaviour: c.behaviour,
        itemAction: c.itemAction,
      })),
    };
  }

  stop(): void {
    for (const c of this.channels) c.timers.forEach(clearTimeout);
  }

  private ch(channel: number): Channel {
    const c = this.channels[channel - 1];
    if (!c) throw new RangeError(`board ${this.address} has no channel ${channel} (1–${this.channelCount})`);
    return c;
  }
}
