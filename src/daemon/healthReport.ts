/** Builds the daemon's health report (what /readyz and /admin/status show) from its running parts. */
import type { LockerHardware } from "../board/LockerHardware.js";
import type { HealthReport } from "../http/buildPublicApp.js";
import type { MqttService } from "../mqtt/MqttService.js";
import type { DatabaseFileWatch } from "../store/DatabaseFileWatch.js";
import type { Db } from "../store/openDatabase.js";
import { pingDatabase } from "../store/pingDatabase.js";
import type { StorageGuard } from "../store/StorageGuard.js";

/** The parts the report reads; any may still be missing while the daemon starts. */
export interface HealthParts {
  db: Db;
  fileWatch?: DatabaseFileWatch;
  /** The ledger's view of write failures (disk full, I/O error). */
  storage?: Pick<StorageGuard, "problem">;
  hardware?: LockerHardware;
  mqtt?: MqttService;
  /** False when `mqtt.url` is "off". */
  mqttEnabled: boolean;
}

export function healthReport(p: HealthParts): HealthReport {
  let dbOk = true;
  let dbError: string | undefined;
  try {
    pingDatabase(p.db);
  } catch (err) {
    dbOk = false;
    dbError = (err as Error).message;
  }
  const fileProblem = p.fileWatch?.problem;
  if (fileProblem) {
    dbOk = false;
    dbError = fileProblem;
  }
  const refused = p.storage?.problem;
  if (refused) {
    dbOk = false;
    dbError = `the disk refuses writes (${refused.code}): out of service until space is freed in the data folder or the disk is repaired; ready again by itself once a write succeeds`;
  }
  const m = p.mqtt?.status();
  return {
    board: { online: p.hardware?.online ?? false, pollLatencyMs: p.hardware?.pollLatencyMs() },
    database: { ok: dbOk, ...(dbError ? { error: dbError } : {}) },
    mqtt: {
      enabled: p.mqttEnabled,
      connected: m?.connected ?? false,
      queueing: !(m?.connected ?? false),
      outboxDepth: m?.outboxDepth ?? 0,
      backlogAlarm: m?.backlogAlarm ?? false,
    },
  };
}
