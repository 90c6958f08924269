/**
 * The public API's OpenAPI document for a config: the public app built in a
 * stand-in (an in-memory staff database, a core that is never called, no
 * listener) with @fastify/swagger, which renders what its routes declare.
 * The daemon's own app leaves swagger out (~50 ms of every start) and builds
 * this on the first GET /openapi.json; scripts/openapiDocument.ts writes it
 * for the default config to src/http/openapi.json.
 */
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { LockerApi } from "../locker/LockerApi.js";
import { DomainEvents } from "../locker/events.js";
import { createStaffTable } from "../store/StaffRepo.js";
import { systemClock } from "../util/clock.js";
import { createLogger } from "../util/logger.js";
import { buildPublicApp } from "./buildPublicApp.js";

export async function openApiDocument(config: LockerConfig, version: string): Promise<unknown> {
  const db = new Database(":memory:");
  createStaffTable(db);
  // Routes are only registered here, never called: any use of the core is a bug.
  const locker = new Proxy({} as LockerApi, {
    get: (_t, name) => () => {
      throw new Error(`openapi: the stand-in core was called (${String(name)})`);
    },
  });
  const app = await buildPublicApp({
    config,
    locker,
    events: new DomainEvents(),
    db,
    log: createLogger({ level: "silent", pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    clock: systemClock,
    health: () => ({ board: { online: true }, database: { ok: true }, mqtt: { enabled: false, connected: false, queueing: false, outboxDepth: 0 } }),
    version,
  });
  try {
    const res = await app.inject({ method: "GET", url: "/openapi.json" });
    if (res.statusCode !== 200) throw new Error(`openapi: GET /openapi.json answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return res.json() as unknown;
  } finally {
    await app.close();
    db.close();
  }
}
