/**
 * The admin API for lockerctl, on a local unix socket only (never a network
 * port): the composition root passes the owners' route plugins
 * (`coreAdminRoutes`, `hardwareAdminRoutes`, `mqttAdminRoutes`,
 * `staffAdminRoutes`, and the lead's status route).
 */
import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import path from "node:path";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from "fastify";
import type { Logger } from "../util/logger.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { strictIntegers } from "./strictIntegers.js";
import { httpStatusFor } from "./httpStatus.js";
import { lazySchemaController, trackSchemas } from "./lazySchemaCompilers.js";

export interface AdminAppDeps {
  /** Unix socket path (`config.http.adminSocket`). */
  socketPath: string;
  log: Logger;
  routes: FastifyPluginAsync[];
}

/** Build the admin app and listen on the socket (mode 0660; a stale socket file is removed first). */
export async function buildAdminApp(deps: AdminAppDeps): Promise<FastifyInstance> {
  const schemas = lazySchemaController();
  const app = Fastify({
    loggerInstance: deps.log.child({ ns: "admin" }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    schemaController: schemas.schemaController,
  });
  trackSchemas(app, schemas.pending);
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof LockerError) {
      const status = httpStatusFor(err.code);
      if (status >= 500) req.log.error({ err }, "admin request failed");
      return reply.code(status).send(err.toJSON());
    }
    const fe = err as { statusCode?: number; message: string; validation?: unknown };
    const status = fe.validation ? 400 : fe.statusCode && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status >= 500) req.log.error({ err }, "admin request failed");
    return reply
      .code(status)
      .send({ code: status >= 500 ? 500 : ErrorCode.Locker_InvalidInput, error: status >= 500 ? "Internal" : "Locker_InvalidInput", message: fe.message, context: {} });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ code: ErrorCode.Locker_InvalidInput, error: "NotFound", message: `no admin route ${req.method} ${req.url} (is lockerctl newer than lockerd?)`, context: {} }),
  );
  strictIntegers(app);
  for (const r of deps.routes) await app.register(r);

  await mkdir(path.dirname(deps.socketPath), { recursive: true });
  const st = await lstat(deps.socketPath).catch(() => undefined);
  if (st?.isSocket()) await unlink(deps.socketPath);
  else if (st) throw new LockerError(`admin socket path ${deps.socketPath} exists and is not a socket; move it away`, ErrorCode.Config_Invalid);
  await app.listen({ path: deps.socketPath });
  await chmod(deps.socketPath, 0o660);
  return app;
}
