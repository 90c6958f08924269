import fs from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildAdminApp } from "../../src/http/buildAdminApp.js";
import { staffAdminRoutes } from "../../src/http/admin/staffAdminRoutes.js";
import { StaffStore, type StaffMember } from "../../src/http/staff/StaffStore.js";
import { adminClient } from "../../src/cli/adminClient.js";
import { createStaffTable } from "../../src/store/StaffRepo.js";
import { createLogger } from "../../src/util/logger.js";
import { Writable } from "node:stream";
import { isLockerError, ErrorCode } from "../../src/errors/LockerError.js";
import type { FastifyInstance } from "fastify";

let dir: string;
let db: Database.Database;
let app: FastifyInstance | undefined;
const log = createLogger({ level: "warn", pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-admin-"));
  db = new Database(path.join(dir, "locker.db"));
  createStaffTable(db);
});
afterEach(async () => {
  await app?.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("listens on a 0660 unix socket, replacing a stale one, and serves staff add/list/revoke to lockerctl's client", async () => {
  const socketPath = path.join(dir, "run", "admin.sock");
  fs.mkdirSync(path.dirname(socketPath));
  // A stale socket left by a daemon that died without cleaning up.
  spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(socketPath)}, () => process.exit(0))`]);
  expect(fs.lstatSync(socketPath).isSocket()).toBe(true);

  const audits: string[] = [];
  app = await buildAdminApp({
    socketPath,
    log,
    routes: [staffAdminRoutes({ staff: new StaffStore(db, 1024), locker: { recordAudit: (_a, action) => void audits.push(action) } })],
  });
  expect(fs.statSync(socketPath).mode & 0o777).toBe(0o660);
  expect(app.server.address()).toBe(socketPath);

  const client = adminClient(socketPath);
  const added = await client.request<{ id: string; name: string; code: string }>("POST", "/admin/staff", { name: "王芳" });
  expect(added.code).toMatch(/^\d{8}$/);
  const list = await client.request<StaffMember[]>("GET", "/admin/staff");
  expect(list).toEqual([expect.objectContaining({ id: added.id, name: "王芳" })]);
  expect(JSON.stringify(list)).not.toContain(added.code);
  expect(await client.request("DELETE", `/admin/staff/${added.id}`)).toEqual({ id: added.id, revoked: true });
  const again = await client.request("DELETE", `/admin/staff/${added.id}`).catch((e) => e);
  expect(isLockerError(again, ErrorCode.Locker_InvalidInput)).toBe(true);
  expect((again as Error).message).toMatch(/already revoked/);
  const bad = await client.request("POST", "/admin/staff", { name: "" }).catch((e) => e);
  expect(isLockerError(bad)).toBe(true);
  expect(audits).toEqual(["staff-add", "staff-revoke"]);
});

it("refuses to delete a path that is not a socket", async () => {
  const socketPath = path.join(dir, "admin.sock");
  fs.writeFileSync(socketPath, "precious");
  await expect(buildAdminApp({ socketPath, log, routes: [] })).rejects.toThrow(/not a socket/);
  expect(fs.readFileSync(socketPath, "utf8")).toBe("precious");
});
