/**
 * Route schemas are compiled on first use (src/http/lazySchemaCompilers.ts),
 * not while the daemon gets ready: compile every one of the real daemon's
 * public and admin routes here, so a broken schema fails a test rather than
 * the first resident who reaches that route. The daemon's app has no
 * @fastify/swagger either: its /openapi.json is built on first request.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileAllSchemas } from "../../src/http/lazySchemaCompilers.js";
import { type LockerHarness, startLocker } from "../support/harness.js";

let h: LockerHarness;
beforeAll(async () => {
  h = await startLocker();
}, 60_000);
afterAll(async () => h?.stop());

it("compiles every validator and serializer of the public and admin apps", async () => {
  // A request compiles its route's schemas; the rest are still pending.
  const r = await fetch(`${h.baseUrl}/api/cases/none`);
  expect(r.status).toBe(404);
  expect(compileAllSchemas(h.daemon.publicApp)).toBeGreaterThan(20);
  expect(compileAllSchemas(h.daemon.adminApp)).toBeGreaterThan(5);
  // Nothing left the second time.
  expect(compileAllSchemas(h.daemon.publicApp)).toBe(0);
  // Validation still answers as before once compiled: a bad body is a 4xx with the error body.
  const bad = await fetch(`${h.baseUrl}/api/pickup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ nope: 1 }) });
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
  expect(await bad.json()).toMatchObject({ code: expect.any(Number), error: expect.any(String), message: expect.any(String) });
});

it("serves /openapi.json built on request, with the routes of this locker's config", async () => {
  const r = await fetch(`${h.baseUrl}/openapi.json`);
  expect(r.status).toBe(200);
  const doc = (await r.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
  expect(doc.openapi).toMatch(/^3\./);
  expect(doc.info.title).toBe("lockerd public API");
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/pickup", "/api/dropoff", "/readyz"]));
  const again = await fetch(`${h.baseUrl}/openapi.json`);
  expect(await again.json()).toEqual(doc);
});
