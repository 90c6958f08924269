/**
 * Issue 9, item 3: a lost database never turns the locker into a new, empty one.
 * - Missing or empty database file in a data folder with the locker's traces
 *   (device secret…): the daemon refuses to start, says what to do, and creates
 *   nothing. A genuinely new data folder still starts.
 * - The WAL deleted while running: noticed, alarmed, and its content saved into
 *   the main file (survives the "power cut" that follows: a restart).
 * - The main file deleted while running: /readyz not ready, alarm.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startLocker, type LockerHarness } from "../helpers/lockerTest.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import type { LockerEvent } from "../../src/locker/events.js";

let h: LockerHarness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.stop({ keepData: true });
  h = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-lostdb-"));
  dirs.push(d);
  return d;
}
const listing = (d: string) =>
  fs
    .readdirSync(d)
    .filter((f) => f !== "admin.sock")
    .sort();
function audits(file: string, action: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM audit WHERE action = ?").get(action) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("a missing or empty database in a used data folder", () => {
  for (const how of ["missing", "0 bytes"] as const) {
    it(`is refused when ${how}: clear message, nothing created or changed`, async () => {
      const dir = tempDir();
      h = await startLocker({ dataDir: dir });
      await h.stop({ keepData: true });
      h = undefined;
      expect(fs.existsSync(path.join(dir, "device-secret"))).toBe(true);
      for (const f of ["lockerd.sqlite", "lockerd.sqlite-wal", "lockerd.sqlite-shm"]) fs.rmSync(path.join(dir, f), { force: true });
      if (how === "0 bytes") fs.writeFileSync(path.join(dir, "lockerd.sqlite"), "");
      const before = listing(dir);
      const err = await startLocker({ dataDir: dir }).then(
        (started) => ((h = started), undefined),
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: ErrorCode.Store_Lost });
      expect((err as Error).message).toMatch(/belongs to a locker that has run before \(device-secret/);
      expect((err as Error).message).toMatch(/Restore the last backup/);
      expect(listing(dir)).toEqual(before);
      if (how === "0 bytes") expect(fs.statSync(path.join(dir, "lockerd.sqlite")).size).toBe(0);
    });
  }

  it("a new data folder (no traces) still starts as a new locker", async () => {
    h = await startLocker({ dataDir: tempDir() });
    expect(h.daemon.health().database.ok).toBe(true);
  });
});

describe("database files deleted while the daemon runs", () => {
  it("a deleted WAL is noticed, alarmed and saved into the database; the history survives a power cut", async () => {
    const dir = tempDir();
    h = await startLocker({ dataDir: dir, config: { mqtt: { url: "off" } } });
    const file = path.join(dir, "lockerd.sqlite");
    h.daemon.db.pragma("wal_autocheckpoint = 0"); // a young locker: everything still in the WAL
    for (let i = 0; i < 20; i++) h.daemon.locker.recordAudit({ kind: "technician", id: "test", via: "admin" }, "test-history", "ok");
    const alarms: LockerEvent[] = [];
    h.daemon.events.on("outboxAppended", (e) => e.type === "alarm" && alarms.push(e));
    fs.rmSync(`${file}-wal`);

    const loss = h.daemon.fileWatch!.check();
    expect(loss).toMatchObject({ lost: "wal", repaired: true });
    expect(alarms.map((a) => a.kind)).toEqual(["database-lost"]);
    expect(h.daemon.fileWatch!.check(), "repaired: nothing more to report").toBeUndefined();
    h.daemon.locker.recordAudit({ kind: "technician", id: "test", via: "admin" }, "test-history", "ok");

    // Power cut now: only what is on disk counts (main file and the WAL that exists), not the open handle.
    const snap = path.join(tempDir(), "lockerd.sqlite");
    fs.copyFileSync(file, snap);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${snap}-wal`);
    expect(audits(snap, "test-history")).toBe(21);
    expect(audits(snap, "alarm-database-lost")).toBe(1);
  });

  it("a deleted main file makes /readyz not ready with what to do, and raises an alarm", async () => {
    const dir = tempDir();
    h = await startLocker({ dataDir: dir, config: { mqtt: { url: "off" } } });
    const alarms: LockerEvent[] = [];
    h.daemon.events.on("outboxAppended", (e) => e.type === "alarm" && alarms.push(e));
    const ready = async () => (await fetch(`${h!.baseUrl}/readyz`)).status;
    expect(await ready()).toBe(200);
    fs.rmSync(path.join(dir, "lockerd.sqlite"));
    expect(h.daemon.fileWatch!.check()).toMatchObject({ lost: "database", repaired: false });
    expect(alarms.map((a) => a.kind)).toEqual(["database-lost"]);
    const res = await fetch(`${h.baseUrl}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { database: { ok: boolean; detail: string } };
    expect(body.database.ok).toBe(false);
    expect(body.database.detail).toMatch(/lockerctl backup/);
  });
});
