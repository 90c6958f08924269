import type { FastifyPluginAsync } from "fastify";
import type { Daemon } from "./Daemon.js";
import { VERSION } from "./version.js";

/** `GET /admin/status`: one look at the whole locker for `lockerctl status` and scripts. */
export function statusAdminRoutes(deps: { daemon: Daemon }): FastifyPluginAsync {
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
