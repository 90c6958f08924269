/**
 * Ops endpoints: `/healthz` (the process answers), `/readyz` (board online,
 * database ok, broker connected or the outbox queueing), Prometheus
 * `/metrics`, and the OpenAPI document at `/openapi.json`.
 */
import type { FastifyPluginAsync } from "fastify";
import { renderMetrics, type HttpMetrics, type MetricFamily } from "../HttpMetrics.js";

/** What the composition root reports about the daemon's parts. */
export interface HealthReport {
  board: { online: boolean /** Last door-poll round trip, ms. */; pollLatencyMs?: number };
  database: { ok: boolean; error?: string };
  mqtt: {
    /** False when MQTT is configured `off`. */
    enabled: boolean;
    connected: boolean;
    /** Events are being written to the outbox for later (the broker is away but nothing is lost). */
    queueing: boolean;
    outboxDepth: number;
    /** The outbox holds more than `mqtt.backlogAlarm` events (an alarm was raised). */
    backlogAlarm?: boolean;
  };
}

export interface OpsRouteDeps {
  health: () => HealthReport;
  metrics: HttpMetrics;
  extraMetrics?: () => MetricFamily[];
  version: string;
  /** The OpenAPI document of this API. */
  openApi: () => Promise<unknown>;
}

export function opsRoutes(deps: OpsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      "/healthz",
      {
        config: { rateLimit: false },
        schema: {
          summary: "The process is up",
          response: { 200: { type: "object", additionalProperties: false, required: ["ok", "version"], properties: { ok: { type: "boolean" }, version: { type: "string" } } } },
        },
      },
      async () => ({ ok: true, version: deps.version }),
    );

    app.get(
      "/readyz",
      {
        config: { rateLimit: false },
        schema: {
          summary: "Ready to serve residents: board online, database ok, broker connected or queueing",
          response: {
            "2xx": { $ref: "readiness#" },
            503: { $ref: "readiness#" },
          },
        },
      },
      async (_req, reply) => {
        const h = deps.health();
        const mqttOk = !h.mqtt.enabled || h.mqtt.connected || h.mqtt.queueing;
        const body = {
          ready: h.board.online && h.database.ok && mqttOk,
          board: { ok: h.board.online, ...(h.board.online ? {} : { detail: "lock board not answering" }) },
          database: { ok: h.database.ok, ...(h.database.error ? { detail: h.database.error } : {}) },
          mqtt: {
            ok: mqttOk,
            detail:
              (!h.mqtt.enabled ? "off" : h.mqtt.connected ? "connected" : h.mqtt.queueing ? `queueing (${h.mqtt.outboxDepth} waiting)` : "broker away and outbox not accepting") +
              (h.mqtt.backlogAlarm ? `; backlog alarm: ${h.mqtt.outboxDepth} events waiting` : ""),
          },
        };
        return reply.code(body.ready ? 200 : 503).send(body);
      },
    );

    app.get("/metrics", { config: { rateLimit: false }, schema: { summary: "Prometheus metrics (text exposition 0.0.4)" } }, async (_req, reply) => {
      const h = deps.health();
      const fams: MetricFamily[] = [
        ...deps.metrics.families(),
        { name: "lockerd_board_online", help: "1 while every board answers its polls.", type: "gauge", samples: [{ value: h.board.online ? 1 : 0 }] },
        { name: "lockerd_outbox_depth", help: "Events waiting in the outbox for the broker.", type: "gauge", samples: [{ value: h.mqtt.outboxDepth }] },
        { name: "lockerd_outbox_backlog_alarm", help: "1 while the outbox backlog is above mqtt.backlogAlarm.", type: "gauge", samples: [{ value: h.mqtt.backlogAlarm ? 1 : 0 }] },
        { name: "lockerd_mqtt_connected", help: "1 while connected to the broker.", type: "gauge", samples: [{ value: h.mqtt.connected ? 1 : 0 }] },
        ...(h.board.pollLatencyMs !== undefined
          ? [{ name: "lockerd_poll_latency_seconds", help: "Last door-poll round trip.", type: "gauge" as const, samples: [{ value: h.board.pollLatencyMs / 1000 }] }]
          : []),
        ...(deps.extraMetrics?.() ?? []),
      ];
      return reply.type("text/plain; version=0.0.4; charset=utf-8").send(renderMetrics(fams));
    });

    app.get("/openapi.json", { schema: { hide: true } }, async () => deps.openApi());
  };
}
