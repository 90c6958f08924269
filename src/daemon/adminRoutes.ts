/** The admin socket's route list: which admin routes the daemon serves, wired to its running parts. */
import type { FastifyPluginAsync } from "fastify";
import type { LockerHardware } from "../board/LockerHardware.js";
import { coreAdminRoutes } from "../http/admin/coreAdminRoutes.js";
import { hardwareAdminRoutes } from "../http/admin/hardwareAdminRoutes.js";
import { mqttAdminRoutes } from "../http/admin/mqttAdminRoutes.js";
import { notifyAdminRoutes } from "../http/admin/notifyAdminRoutes.js";
import { staffAdminRoutes } from "../http/admin/staffAdminRoutes.js";
import type { StaffStore } from "../http/staff/StaffStore.js";
import type { DomainEvents } from "../locker/events.js";
import type { LockerService } from "../locker/LockerService.js";
import type { MqttService } from "../mqtt/MqttService.js";
import type { NotifyService } from "../notify/NotifyService.js";
import { AuditLog } from "../store/AuditLog.js";
import { backupDatabase } from "../store/backupDatabase.js";
import type { Db } from "../store/openDatabase.js";
import { statusAdminRoutes, type StatusSource } from "./statusAdminRoutes.js";

/** The running daemon as the admin routes see it (structural, so this file does not import Daemon.ts back). */
export interface AdminParts extends StatusSource {
  db: Db;
  events: DomainEvents;
  hardware: LockerHardware;
  locker: LockerService;
  mqtt: MqttService;
  staff: StaffStore;
  notify: NotifyService;
}

export function daemonAdminRoutes(d: AdminParts): FastifyPluginAsync[] {
  return [
    statusAdminRoutes({ daemon: d }),
    coreAdminRoutes({ locker: d.locker, backup: (file, keep) => backupDatabase(d.db, file, keep === undefined ? {} : { keep }), auditPage: (f) => new AuditLog(d.db).page(f) }),
    hardwareAdminRoutes({ hardware: d.hardware, beforeCycle: () => d.locker.admitSelftestCycle({ kind: "technician", id: "lockerctl", via: "admin" }) }),
    mqttAdminRoutes({ mqtt: d.mqtt, events: d.events }),
    staffAdminRoutes({ staff: d.staff, locker: d.locker }),
    notifyAdminRoutes({ notify: d.notify }),
  ];
}
