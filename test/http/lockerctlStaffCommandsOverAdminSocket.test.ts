/**
 * The built `lockerctl staff add|list|revoke` against an admin socket served
 * by buildAdminApp with the real StaffStore on a real SQLite file.
 * Needs `npm run build` (npm test runs it first).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildAdminApp } from "../../src/http/buildAdminApp.js";
import { staffAdminRoutes } from "../../src/http/admin/staffAdminRoutes.js";
import { StaffStore } from "../../src/http/staff/StaffStore.js";
import { createStaffTable } from "../../src/store/StaffRepo.js";
import { createLogger } from "../../src/util/logger.js";

const run = promisify(execFile);
const CLI = path.resolve("dist/src/cli/lockerctl.js");
let dir: string;
let db: Database.Database;
let app: FastifyInstance;
let socket: string;
let store: StaffStore;

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-ctl-"));
  db = new Database(path.join(dir, "locker.db"));
  createStaffTable(db);
  socket = path.join(dir, "admin.sock");
  store = new StaffStore(db, 1024);
  const log = createLogger({ level: "warn", pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  app = await buildAdminApp({ socketPath: socket, log, routes: [staffAdminRoutes({ staff: store })] });
});
afterAll(async () => {
  await app?.close();
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ctl = (...args: string[]) => run(process.execPath, [CLI, "--socket", socket, ...args]);

it("adds a staff code shown once, lists without codes, revokes, and exits non-zero on a bad id", async () => {
  const added = await ctl("staff", "add", "刘芳");
  const code = /code: (\d{8})/.exec(added.stdout)![1]!;
  expect(added.stdout).toMatch(/cannot be shown again/);
  expect(await store.verify(code)).toMatchObject({ name: "刘芳" });

  const list = await ctl("staff", "list");
  expect(list.stdout).toMatch(/刘芳/);
  expect(list.stdout).not.toContain(code);
  const json = JSON.parse((await ctl("--json", "staff", "list")).stdout) as Array<{ id: string; name: string }>;
  expect(json).toHaveLength(1);

  const revoked = await ctl("staff", "revoke", json[0]!.id);
  expect(revoked.stdout).toMatch(/revoked/);
  expect(await store.verify(code)).toBeUndefined();

  const bad = await ctl("staff", "revoke", "nothere1").catch((e: { code: number; stderr: string }) => e);
  expect((bad as { code: number }).code).toBe(2);
  expect((bad as { stderr: string }).stderr).toMatch(/staff list|invalid|must match/i);
});
