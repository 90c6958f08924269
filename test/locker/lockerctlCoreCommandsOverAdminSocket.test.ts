import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { buildAdminApp } from "../../src/http/buildAdminApp.js";
import { coreAdminRoutes } from "../../src/http/admin/coreAdminRoutes.js";
import { backupDatabase } from "../../src/store/backupDatabase.js";
import { systemClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "./support/FakeDoorHardware.js";
import { buildCore, type CoreHarness, RESIDENT } from "../support/harness.js";

const CLI = path.resolve("dist/src/cli/lockerctl.js");
let h: CoreHarness;
let app: FastifyInstance;
let socket: string;
let hw: FakeDoorHardware;

function ctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, "--socket", socket, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error("run `npm run build` first: this test drives the built lockerctl");
  hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
  h = buildCore({ hardware: hw, clock: systemClock });
  await h.service.start();
  socket = path.join(h.dir, "admin.sock");
  app = await buildAdminApp({ socketPath: socket, log: h.log, routes: [coreAdminRoutes({ locker: h.service, backup: (f) => backupDatabase(h.db, f) })] });
  const d = await h.service.startDropoff({ token: h.service.currentDropoffLink().token, matter: "other", phone: "13612345678", pin: "846201", consent: true }, RESIDENT);
  hw.set(d.compartment, "open");
  hw.set(d.compartment, "closed");
});
afterAll(async () => {
  await app?.close();
  h?.close();
});

describe("lockerctl core commands over the admin unix socket", () => {
  it("cases --json lists the case with a masked phone; case <number> shows it unmasked with its audit trail", async () => {
    const list = await ctl("--json", "cases", "--state", "dropped_off");
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { number: string; phone: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.phone).toBe("136****5678");
    const one = await ctl("case", rows[0]!.number);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("13612345678");
    expect(one.stdout).toContain("case-dropoffCompleted");
    const table = await ctl("cases");
    expect(table.stdout).toMatch(/NUMBER\s+STATE/);
  });

  it("events --since filters the audit trail; a bad date is a usage error", async () => {
    const all = JSON.parse((await ctl("--json", "events")).stdout) as { seq: number }[];
    expect(all.length).toBeGreaterThan(3);
    const later = JSON.parse((await ctl("--json", "events", "--since", "2100-01-01T00:00:00Z")).stdout) as unknown[];
    expect(later).toEqual([]);
    const bad = await ctl("events", "--since", "yesterday-ish");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ISO 8601/);
  });

  it("disable and enable a free compartment; disabling one that holds a case is refused (exit 5)", async () => {
    const off = await ctl("disable", "2", "--reason", "hinge broken");
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("compartment 2 is disabled");
    expect(h.service.compartments()[1]!.status).toBe("disabled");
    expect((await ctl("enable", "2")).stdout).toContain("compartment 2 is free");
    const refused = await ctl("disable", "1", "--reason", "test");
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/empty it before disabling/);
    expect((await ctl("disable", "42", "--reason", "x")).code).toBe(2);
    expect((await ctl("case", "Z98")).code).toBe(2);
  });

  it("backup writes a consistent copy that opens as a database with the same cases", async () => {
    const file = path.join(h.dir, "backup", "copy.sqlite");
    const r = await ctl("--json", "backup", file);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, bytes: expect.any(Number) });
    const copy = new Database(file, { readonly: true });
    expect((copy.prepare("SELECT count(*) AS n FROM locker_case").get() as { n: number }).n).toBe(1);
    copy.close();
    expect((await ctl("backup", file)).code).toBe(2);
  });
});

describe("lockerctl drives the staff story (collect, return) over the admin socket", () => {
  it("collect <number> opens the case's door and return opens a free one; each step audited under --as", async () => {
    const [c] = JSON.parse((await ctl("--json", "cases", "--state", "dropped_off")).stdout) as { id: string; number: string; compartment: number }[];
    const collect = await ctl("--json", "collect", c!.number, "--as", "王芳");
    expect(collect.code, collect.stderr).toBe(0);
    expect(JSON.parse(collect.stdout)).toMatchObject({ compartment: c!.compartment });
    hw.set(c!.compartment, "open");
    hw.set(c!.compartment, "closed");
    expect(h.service.getCase(c!.id).state).toBe("with_staff");

    const ret = await ctl("return", c!.id);
    expect(ret.code, ret.stderr).toBe(0);
    const door = Number(/door (\d+) is open/.exec(ret.stdout)![1]);
    hw.set(door, "open");
    hw.set(door, "closed");
    expect(h.service.getCase(c!.id).state).toBe("ready");

    const trail = h.service.audit({ caseId: c!.id, limit: 100 });
    expect(trail.some((a) => a.actorName === "王芳" && a.actorKind === "technician")).toBe(true);
    // An unknown case number is refused with a message, not a stack trace.
    const again = await ctl("collect", "NOPE99");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/error: /);
  });
});
