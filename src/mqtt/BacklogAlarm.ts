/**
 * The outbox-backlog alarm: raised once when more than `limit` events wait
 * for the broker, cleared when the backlog is down to half of it (so it does
 * not flap around the limit). Raising it is logged and audited; staff get an
 * `alarm` event (kind outbox-backlog) as soon as the broker can take one,
 * sent directly rather than through the outbox, since the outbox is what is
 * stuck.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { LockerApi } from "../locker/LockerApi.js";
import type { LockerEvent } from "../locker/events.js";
import type { Clock } from "../util/clock.js";

export interface BacklogAlarmOptions {
  /** Events waiting above which the alarm is raised (`mqtt.backlogAlarm`). */
  limit: number;
  lockerId: string;
  locker: Pick<LockerApi, "recordAudit">;
  clock: Clock;
  log: Logger;
  /** Publish the alarm event now; resolves on PUBACK. Only called while connected. */
  publish(event: LockerEvent): Promise<void>;
}

export class BacklogAlarm {
  private isRaised = false;
  private told = false;

  constructor(private readonly o: BacklogAlarmOptions) {}

  /** True while the backlog is above the limit (and not yet back under half of it). */
  get raised(): boolean {
    return this.isRaised;
  }

  /** After a (re)connect: staff have not heard about the current backlog on this connection. */
  reconnected(): void {
    this.told = false;
  }

  /** Feed the current outbox depth (-1 = unknown); `connected` says whether the alarm can be sent now. */
  check(depth: number, connected: boolean): void {
    const { limit, log } = this.o;
    if (depth > limit && !this.isRaised) {
      this.isRaised = true;
      this.told = false;
      log.warn({ depth, limit }, "outbox backlog above the alarm limit");
      this.o.locker.recordAudit({ kind: "system", id: "mqtt", via: "mqtt" }, "alarm.outbox-backlog", "failed", {
        reason: `outbox holds ${depth} events (limit ${limit})`,
        detail: { depth, limit },
      });
    } else if (depth >= 0 && depth <= limit / 2 && this.isRaised) {
      this.isRaised = false;
      log.info({ depth }, "outbox backlog back to normal");
    }
    if (this.isRaised && !this.told && connected) {
      this.told = true;
      const alarm: LockerEvent = {
        id: randomUUID(),
        type: "alarm",
        kind: "outbox-backlog",
        time: new Date(this.o.clock.wallMs()).toISOString(),
        clockTrusted: this.o.clock.wallClockTrusted(),
        lockerId: this.o.lockerId,
        message: `${depth} events are waiting to be sent (alarm above ${limit}); they follow in order`,
        detail: { depth, limit },
      };
      this.o.publish(alarm).catch(() => (this.told = false));
    }
  }
}
