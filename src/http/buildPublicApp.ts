/**
 * The public HTTP app (kiosk, resident, staff pages, their JSON API, ops),
 * built from its dependencies. It does not listen: the composition root calls
 * `app.listen({ host: config.http.host, port: config.http.port })`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import rateLimit from "@fastify/rate-limit";
import type Database from "better-sqlite3";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { DomainEvents, LockerEvent } from "../locker/events.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { ErrorCode } from "../errors/LockerError.js";
import { ERROR_SCHEMA_ID, errorSchema, httpErrorHandler } from "./httpErrors.js";
import { addSecurityHeaders } from "./securityHeaders.js";
import { strictIntegers } from "./strictIntegers.js";
import { auditPagerOf } from "./auditPager.js";
import type { AuditPager } from "../store/AuditLog.js";
import { HttpMetrics, type MetricFamily } from "./HttpMetrics.js";
import { KioskFeed } from "./KioskFeed.js";
import { fromLockerScreen } from "./kioskListener.js";
import { assertPublicFilesPresent, publicFile, ruleModule } from "./staticFiles.js";
import { residentRoutes } from "./routes/residentRoutes.js";
import { formSessionRoutes } from "./routes/formSessionRoutes.js";
import { kioskRoutes } from "./routes/kioskRoutes.js";
import { voiceRoutes } from "./routes/voiceRoutes.js";
import { staffRoutes } from "./routes/staffRoutes.js";
import { staffLiveRoutes } from "./routes/staffLiveRoutes.js";
import { opsRoutes, type HealthReport } from "./routes/opsRoutes.js";
import { StaffStore } from "./staff/StaffStore.js";
import { StaffSessions } from "./staff/StaffSessions.js";
import { SignInThrottle } from "./staff/SignInThrottle.js";
import { CaseLinks } from "./caseLinks.js";
import { RefusalDigest } from "../mqtt/RefusalDigest.js";
import { caseLinkRoutes } from "./routes/caseLinkRoutes.js";
import { lazySchemaController, trackSchemas } from "./lazySchemaCompilers.js";

export type { HealthReport } from "./routes/opsRoutes.js";
export type { MetricFamily } from "./HttpMetrics.js";

export interface PublicAppDeps {
  config: LockerConfig;
  locker: LockerApi;
  events: DomainEvents;
  /** The daemon's SQLite database (migration 003 applied): staff codes live there. */
  db: Database.Database;
  log: Logger;
  clock: Clock;
  health: () => HealthReport;
  /** Extra metric families from other layers (poll latency histogram, outbox…). */
  metrics?: () => MetricFamily[];
  /** Newest-first pages of the audit trail (the store's AuditLog.page); paged from `locker.audit` if absent. */
  auditPage?: AuditPager;
  /** Share one StaffStore with the admin routes; built from `db` if absent. */
  staff?: StaffStore;
  version?: string;
  /** Serve HTTPS with this PEM pair (`http.certFile`/`keyFile`); swap it later with `app.server.setSecureContext`. */
  https?: { cert: Buffer; key: Buffer };
  /** The resident's case links; built from `<dataDir>/case-link-secret` if absent. */
  caseLinks?: CaseLinks;
  /**
   * The document served at `/openapi.json` (the daemon builds it on first request, see
   * openApiDocument.ts). Absent: this app registers @fastify/swagger and serves its own.
   */
  openApi?: () => Promise<unknown>;
}

/** Refusals (4xx) logged one by one per minute; the rest are counted and summarised in one line a minute. */
export const HTTP_REFUSALS_LOGGED_PER_MINUTE = 30;

/** Largest request body accepted, bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Build the public fastify app; close it with `app.close()` (ends SSE streams too). */
export async function buildPublicApp(deps: PublicAppDeps): Promise<FastifyInstance> {
  const { config, locker, events, clock } = deps;
  assertPublicFilesPresent();
  const schemas = lazySchemaController();
  // The audit trail has its own aggregation (PIN refusals, presence, lockouts): this digest is for the log only.
  const refusals = new RefusalDigest(HTTP_REFUSALS_LOGGED_PER_MINUTE, clock, deps.log.child({ ns: "http" }), () => {});
  const app = Fastify({
    ...(deps.https ? { https: deps.https } : {}),
    loggerInstance: deps.log.child({ ns: "http" }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // One hop: the client is the address our reverse proxy appended; `true` would take the first
    // (client-written) X-Forwarded-For entry and let anyone dodge per-client limits and lockouts.
    trustProxy: config.http.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    logController: new LogController({ disableRequestLogging: true }),
    // Tokens are ~100 characters; longer params are refused by schema with a message.
    routerOptions: { maxParamLength: 600 },
    frameworkErrors: (err, req, reply) => httpErrorHandler(err, req, reply, refusals),
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false } },
    schemaController: schemas.schemaController,
  });
  trackSchemas(app, schemas.pending);
  app.setErrorHandler((err, req, reply) => httpErrorHandler(err, req, reply, refusals));
  refusals.start();
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: ErrorCode.Locker_InvalidInput, error: "NotFound", message: `没有这个页面。Not found: ${req.method} ${req.url.split("?")[0]!.slice(0, 100)}` }),
  );
  addSecurityHeaders(app);
  strictIntegers(app);
  app.addSchema({ $id: ERROR_SCHEMA_ID, ...errorSchema });
  app.addSchema({
    $id: "readiness",
    type: "object",
    additionalProperties: false,
    required: ["ready", "board", "database", "mqtt"],
    properties: {
      ready: { type: "boolean" },
      board: { type: "object", additionalProperties: false, properties: { ok: { type: "boolean" }, detail: { type: "string" } } },
      database: { type: "object", additionalProperties: false, properties: { ok: { type: "boolean" }, detail: { type: "string" } } },
      mqtt: { type: "object", additionalProperties: false, properties: { ok: { type: "boolean" }, detail: { type: "string" } } },
    },
  });

  const metrics = new HttpMetrics(events);
  const feed = new KioskFeed(events);
  const alarms: LockerEvent[] = [];
  const onOutbox = (e: LockerEvent) => {
    if (e.type !== "alarm") return;
    alarms.push(e);
    if (alarms.length > 200) alarms.shift();
  };
  events.on("outboxAppended", onOutbox);
  app.addHook("onResponse", async (_req, reply) => metrics.response(reply.statusCode));
  // The kiosk's event stream never ends by itself: end it before the server waits for its
  // connections (else a stop waits for the client, and systemd SIGKILLs us before "offline").
  app.addHook("preClose", async () => feed.close());
  app.addHook("onClose", async () => {
    refusals.stop();
    metrics.stop();
    events.off("outboxAppended", onOutbox);
  });

  // Not in the daemon: @fastify/swagger (with yaml) is ~50 ms of module loading at every start
  // here, and it only describes routes; the daemon's /openapi.json comes from deps.openApi.
  if (!deps.openApi) await registerSwagger(app, deps.version);
  await app.register(rateLimit, {
    global: true,
    max: config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    // The locker's screen is one client whatever its address; everyone else is limited by the address the proxy saw.
    keyGenerator: (req) => (fromLockerScreen(req) ? "locker-screen" : req.ip),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: ErrorCode.Locker_Throttled,
      error: "Locker_Throttled",
      message: `尝试次数太多，请${Math.ceil(ctx.ttl / 1000)}秒后再试。Too many requests: wait ${Math.ceil(ctx.ttl / 1000)} s.`,
      retryAfterS: Math.ceil(ctx.ttl / 1000),
    }),
  });

  const staff = deps.staff ?? new StaffStore(deps.db, config.pins.scryptCost);
  const sessions = new StaffSessions(clock, (id) => staff.isActive(id));
  const throttle = new SignInThrottle(clock, {
    // Many wrong staff codes from anywhere: staff are told, nobody is locked out.
    onBurst: (n) => {
      deps.log.child({ ns: "http" }).warn({ failuresLastMinute: n }, "staff sign-in burst: many wrong staff codes in the last minute");
      locker.recordAudit({ kind: "system", id: "sign-in-throttle", via: "staff-page" }, "alarm-staff-sign-in-burst", "ok", {
        reason: `${n} wrong staff codes in the last minute`,
        detail: { failuresLastMinute: n },
      });
    },
  });
  let boardOnline = deps.health().board.online;
  events.on("boardOnline", () => (boardOnline = true));
  events.on("boardOffline", () => (boardOnline = false));
  let storageOk = true;
  events.on("storageFailed", () => (storageOk = false));
  events.on("storageRecovered", () => (storageOk = true));

  // Every file below the public folder, sub-folders included (publicFile refuses anything outside it).
  app.get<{ Params: { "*": string } }>(
    "/assets/*",
    { schema: { hide: true, params: { type: "object", additionalProperties: false, required: ["*"], properties: { "*": { type: "string", maxLength: 128 } } } } },
    async (req, reply) => {
      const f = publicFile(req.params["*"]);
      if (!f) return reply.code(404).send({ code: ErrorCode.Locker_InvalidInput, error: "NotFound", message: "没有这个文件。No such asset." });
      return reply.type(f.type).header("cache-control", "public, max-age=300").send(f.body);
    },
  );
  // The shared rule modules (src/rules/) the pages import, so page and server check with the same code.
  app.get<{ Params: { file: string } }>(
    "/assets/rules/:file",
    { schema: { hide: true, params: { type: "object", additionalProperties: false, required: ["file"], properties: { file: { type: "string", maxLength: 64 } } } } },
    async (req, reply) => {
      const f = ruleModule(req.params.file);
      if (!f) return reply.code(404).send({ code: ErrorCode.Locker_InvalidInput, error: "NotFound", message: "没有这个文件。No such asset." });
      return reply.type(f.type).header("cache-control", "public, max-age=300").send(f.body);
    },
  );
  app.get("/", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/kiosk"));

  const links = deps.caseLinks ?? CaseLinks.fromDataDir(config.dataDir, config.publicBaseUrl);
  await app.register(residentRoutes({ config, locker, metrics, links }));
  await app.register(caseLinkRoutes({ config, locker, links }));
  await app.register(formSessionRoutes({ config, locker }));
  await app.register(kioskRoutes({ config, locker, feed, metrics, boardOnline: () => boardOnline, storageOk: () => storageOk }));
  await app.register(voiceRoutes({ config }));
  await app.register(
    staffRoutes({
      locker,
      staff,
      sessions,
      throttle,
      alarms: () => alarms,
      secureCookie: (req) => !fromLockerScreen(req) && (req.protocol === "https" || config.publicBaseUrl.startsWith("https:")),
      timeZone: config.timeZone,
      auditPage: auditPagerOf(locker, deps.auditPage),
    }),
  );
  await app.register(staffLiveRoutes({ matters: config.matters, events, sessions }));
  await app.register(
    opsRoutes({
      health: deps.health,
      metrics,
      ...(deps.metrics ? { extraMetrics: deps.metrics } : {}),
      version: deps.version ?? "0.1.0",
      openApi: deps.openApi ?? (async () => app.swagger()),
    }),
  );
  return app;
}

/** OpenAPI document generation (scripts/openapiDocument.ts, tests, the daemon's /openapi.json stand-in app). */
async function registerSwagger(app: FastifyInstance, version: string | undefined): Promise<void> {
  const { default: swagger } = await import("@fastify/swagger");
  await app.register(swagger, {
    // Shared schemas appear under components/schemas by their $id, not as def-0, def-1…
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    openapi: {
      info: {
        title: "lockerd public API",
        version: version ?? "0.1.0",
        description:
          "Kiosk, resident (web page and mini-program backend), staff and ops endpoints of a lockerd locker.\n\n" +
          "Every error answer (4xx, 5xx) is JSON `{code, error, message, retryAfterS?, field?}` (schema `LockerErrorBody`): " +
          "`code` is the stable numeric LockerError code and `error` its name (map these, never the message text); " +
          "`message` is for a person, Simplified Chinese first, and says what to do; `retryAfterS` (also sent as the " +
          "Retry-After header) is how long to wait after a 429; `field` names the input that was refused. " +
          "Bad input is always a 4xx, never a 5xx.",
      },
    },
  });
}
