/**
 * Alarms raised by the daemon's own plumbing (database files, disk, outbox),
 * not by a door cycle: written to the outbox (so staff get `events/alarm`),
 * announced on the bus, audited, and logged, like the core's alarms. Writing
 * may itself fail (the disk is what broke): then the alarm is logged and the
 * caller's /readyz state still tells.
 */
import { randomUUID } from "node:crypto";
import type { AlarmKind, DomainEvents, LockerEvent } from "../locker/events.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { Outbox } from "../store/Outbox.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

/** Alarm kinds of the plumbing (documented in MQTT_CONTRACT.md next to the core's). */
export type SystemAlarmKind = Extract<AlarmKind, "database-lost" | "outbox-dead-letter">;

export interface SystemAlarmDeps {
  lockerId: string;
  outbox: Pick<Outbox, "append">;
  events: DomainEvents;
  locker?: Pick<LockerApi, "recordAudit">;
  clock: Clock;
  log: Logger;
}

export function raiseSystemAlarm(d: SystemAlarmDeps, kind: SystemAlarmKind, message: string, detail: Record<string, unknown> = {}): void {
  d.log.error({ kind, ...detail }, `alarm: ${message}`);
  const event: LockerEvent = {
    id: randomUUID(),
    type: "alarm",
    kind,
    time: new Date(d.clock.wallMs()).toISOString(),
    clockTrusted: d.clock.wallClockTrusted(),
    lockerId: d.lockerId,
    message,
    detail,
  };
  try {
    d.outbox.append(event);
    d.events.emit("outboxAppended", event);
    d.locker?.recordAudit({ kind: "system", id: "lockerd", via: "system" }, `alarm-${kind}`, "failed", { reason: message, detail });
  } catch (err) {
    d.log.error({ err: (err as Error).message, kind }, "could not record the alarm (the store is failing); /readyz reports it");
  }
}
