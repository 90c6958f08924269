import type { FastifyPluginAsync } from "fastify";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { CompartmentSnapshot } from "../locker/events.js";
import type { Clock } from "../util/clock.js";
import { VERSION } from "./version.js";

/** What the status route reads from the running daemon (a structural view, so this file does not import Daemon.ts back). */
export interface StatusSource {
  config: LockerConfig;
  startedAtMs: number;
  clock: Clock;
  publicUrl: string;
  hardware: { online: boolean };
  locker: { compartments(): CompartmentSnapshot[] };
  mqtt: { status(): { connected: boolean; url: string; outboxDepth: number } };
}

/** `GET /admin/status`: one look at the whole locker for `lockerctl status` and scripts. */
export function statusAdminRoutes(deps: { daemon: StatusSource }): FastifyPluginAsync {
  return async (app) => {
    app.get("/admin/status", async () => {
      const d = deps.daemon;
      const mqtt = d.mqtt.status();
      return {
        lockerId: d.config.lockerId,
        version: VERSION,
        uptimeS: Math.round((Date.now() - d.startedAtMs) / 1000),
        clockTrusted: d.clock.wallClockTrusted(),
        timeZone: d.config.timeZone,
        board: { online: d.hardware.online, transport: d.config.bus.transport },
        compartments: d.locker.compartments(),
        mqtt: { connected: mqtt.connected, url: mqtt.url, outboxDepth: mqtt.outboxDepth },
        http: { url: d.publicUrl },
      };
    });
  };
}
