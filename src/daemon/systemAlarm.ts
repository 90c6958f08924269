/**
 * Alarms raised by the daemon's own plumbing (database files, disk, outbox),
 * not by a door cycle: written to the outbox (so staff get `events/alarm`),
 * announced on the bus, audited, and logged, like the core's alarms. Writing
 * may itself fail (the disk is what broke): then the alarm is logged, handed
 * to MQTT for a direct publish (`alarmUnrecorded`), and the caller's /readyz
 * state still tells; the caller may record it later (`storageAlarm.ts`).
 */
import { randomUUID } from "node:crypto";
import type { AlarmKind, DomainEvents, LockerEvent } from "../locker/events.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { Outbox } from "../store/Outbox.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

/** Alarm kinds of the plumbing (documented in MQTT_CONTRACT.md next to the core's). */
export type SystemAlarmKind = Extract<AlarmKind, "database-lost" | "outbox-dead-letter" | "storage-full" | "storage-ok">;

export interface SystemAlarmDeps {
  lockerId: string;
  outbox: Pick<Outbox, "append">;
  events: DomainEvents;
  locker?: Pick<LockerApi, "recordAudit">;
  clock: Clock;
  log: Logger;
}

/** Raise it; `recorded` is false when the outbox could not be written (then it was only logged and published directly). */
export function raiseSystemAlarm(d: SystemAlarmDeps, kind: SystemAlarmKind, message: string, detail: Record<string, unknown> = {}): { event: LockerEvent; recorded: boolean } {
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
    return { event, recorded: true };
  } catch (err) {
    d.log.error({ err: (err as Error).message, kind }, "could not record the alarm (the store is failing); /readyz reports it");
    d.events.emit("alarmUnrecorded", event);
    return { event, recorded: false };
  }
}
