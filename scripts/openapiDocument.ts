/**
 * The public HTTP API as a committed document: builds the public app exactly
 * as the daemon does (buildPublicApp, default config, an in-memory staff
 * database, a stand-in core that is never called) and renders what it serves
 * at `/openapi.json`, pretty-printed with keys sorted so diffs stay small.
 *
 *   npm run openapi            print it
 *   npm run openapi -- --write write src/http/openapi.json
 *
 * test/http/openapiDocumentIsCurrent.test.ts fails when the committed file
 * and the code disagree.
 */
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { defaultConfig } from "../src/config/defaults.js";
import { VERSION } from "../src/daemon/version.js";
import { buildPublicApp } from "../src/http/buildPublicApp.js";
import type { LockerApi } from "../src/locker/LockerApi.js";
import { DomainEvents } from "../src/locker/events.js";
import { m003_staff } from "../src/store/migrations/003-staff.js";
import { systemClock } from "../src/util/clock.js";
import { createLogger } from "../src/util/logger.js";

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_FILE = "src/http/openapi.json";
/** The command that rewrites it. */
export const REGENERATE_COMMAND = "npm run openapi -- --write";

/** The repository root (this file runs from scripts/ under vitest and from dist/scripts/ when built). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("openapi: cannot find the repository root (no package.json above this script)");
    dir = up;
  }
  return dir;
}

/** The OpenAPI document the public app serves at `/openapi.json`. */
export async function openApiDocument(): Promise<unknown> {
  const db = new Database(":memory:");
  m003_staff.up(db);
  // Routes are only registered here, never called: any use of the core is a bug in this script.
  const locker = new Proxy({} as LockerApi, {
    get: (_t, name) => () => {
      throw new Error(`openapi: the stand-in core was called (${String(name)})`);
    },
  });
  const config = defaultConfig();
  const app = await buildPublicApp({
    config,
    locker,
    events: new DomainEvents(),
    db,
    log: createLogger({ level: "silent", pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    clock: systemClock,
    health: () => ({ board: { online: true }, database: { ok: true }, mqtt: { enabled: false, connected: false, queueing: false, outboxDepth: 0 } }),
    version: VERSION,
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

/** Pretty JSON with object keys sorted at every level (array order kept), newline-terminated. */
export function renderStable(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 2) + "\n";
}

async function main(): Promise<void> {
  const text = renderStable(await openApiDocument());
  if (process.argv.includes("--write")) {
    const file = path.join(repoRoot(), OPENAPI_FILE);
    fs.writeFileSync(file, text);
    console.log(`openapi: wrote ${OPENAPI_FILE} (${text.length} bytes)`);
  } else {
    process.stdout.write(text);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
