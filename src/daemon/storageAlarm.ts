/**
 * The storage alarm (issue 9, item 6): when the disk refuses writes the
 * ledger's `StorageGuard` says so once (`storageFailed`); staff must hear it
 * although the outbox — the usual way out — is on that same disk. So the
 * `storage-full` alarm is logged and, being unrecordable, published directly
 * on MQTT (`alarmUnrecorded`, MqttService); when writes succeed again
 * (`storageRecovered`) it is written to the outbox and audit trail with the
 * same id (consumers de-duplicate on it), followed by `storage-ok`.
 * De-duplicated like the core's alarms: a disk that flaps around full raises
 * `storage-full` once per `ALARM_REPEAT_MS`, and `storage-ok` only after a
 * `storage-full` that went out.
 */
import { AlarmGate } from "../locker/AlarmGate.js";
import type { LockerEvent } from "../locker/events.js";
import { raiseSystemAlarm, type SystemAlarmDeps } from "./systemAlarm.js";

/** Follow the storage state on `d.events`; returns the unsubscribe. */
export function watchStorageAlarm(d: SystemAlarmDeps & { outbox: SystemAlarmDeps["outbox"] }): () => void {
  const gate = new AlarmGate(() => d.clock.monotonicMs());
  const unrecorded: LockerEvent[] = [];
  let told = false;
  const onFailed = (f: { code: string; message: string }) => {
    if (!gate.admit("storage-full", undefined).send) return;
    told = true;
    const message = `the locker's storage refuses writes (${f.code}); the locker is out of service until space is freed or the disk is repaired (${f.message})`;
    const r = raiseSystemAlarm(d, "storage-full", message, { code: f.code });
    if (!r.recorded) unrecorded.push(r.event);
  };
  const onRecovered = () => {
    while (unrecorded.length > 0) {
      const e = unrecorded[0]!;
      try {
        d.outbox.append(e);
        d.locker?.recordAudit({ kind: "system", id: "lockerd", via: "system" }, `alarm-${e.kind}`, "failed", { reason: e.message, detail: { ...e.detail, recordedLate: true } });
      } catch (err) {
        return void d.log.error({ err: (err as Error).message }, "storage: the alarm still cannot be recorded");
      }
      unrecorded.shift();
      d.events.emit("outboxAppended", e);
    }
    if (!told) return;
    told = false;
    raiseSystemAlarm(d, "storage-ok", "the locker's storage takes writes again; the locker is back in service");
  };
  d.events.on("storageFailed", onFailed);
  d.events.on("storageRecovered", onRecovered);
  return () => {
    d.events.off("storageFailed", onFailed);
    d.events.off("storageRecovered", onRecovered);
  };
}
