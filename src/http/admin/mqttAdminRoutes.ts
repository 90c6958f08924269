/**
 * Admin-socket routes for MQTT (ADMIN_API.md, owner C): `GET /admin/mqtt`
 * (connection and outbox state, for `lockerctl mqtt-check` and `status`) and
 * `GET /admin/watch`, an ndjson stream of every LockerEvent as it is
 * committed (for `lockerctl watch` without a broker).
 */
import type { FastifyPluginAsync } from "fastify";
import type { DomainEvents, LockerEvent } from "../../locker/events.js";
import type { MqttService } from "../../mqtt/MqttService.js";

const statusSchema = {
  type: "object",
  additionalProperties: false,
  required: ["connected", "url", "outboxDepth", "lastPublishAt", "backlogAlarm"],
  properties: {
    connected: { type: "boolean" },
    url: { type: "string" },
    outboxDepth: { type: "integer" },
    lastPublishAt: { type: ["string", "null"] },
    backlogAlarm: { type: "boolean" },
    deadLetters: { type: "integer" },
    recentDeadLetters: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          seq: { type: "integer" },
          id: { type: "string" },
          type: { type: "string" },
          createdAt: { type: "string" },
          deadAt: { type: "string" },
          reason: { type: "string" },
        },
      },
    },
  },
} as const;

/** Routes `/admin/mqtt` and `/admin/watch`; `mqtt` gives the status, `events` the committed events. */
export function mqttAdminRoutes(deps: { mqtt: Pick<MqttService, "status">; events: DomainEvents }): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<import("node:http").ServerResponse>();
    // Streams never end by themselves; end them before the server waits for its connections to close.
    app.addHook("preClose", async () => {
      for (const res of open) res.end();
    });
    app.get("/admin/mqtt", { schema: { response: { 200: statusSchema } } }, async () => deps.mqtt.status());

    app.get("/admin/watch", async (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
      // An empty first line tells the client the stream is open before any event happens.
      res.write("\n");
      const onEvent = (e: LockerEvent) => res.write(JSON.stringify(e) + "\n");
      deps.events.on("outboxAppended", onEvent);
      open.add(res);
      const done = () => {
        deps.events.off("outboxAppended", onEvent);
        open.delete(res);
      };
      req.raw.once("close", done);
      res.once("close", done);
    });
  };
}
