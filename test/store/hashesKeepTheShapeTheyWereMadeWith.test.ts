/**
 * New PIN and staff-code hashes take the smaller scrypt shape (r = 4, p = 2:
 * half the memory for the same work), and every hash stored before it (r = 8,
 * p = 1) keeps verifying: a stored hash is checked with the shape it was made
 * with, never with today's. A shape lockerd never writes is refused without
 * hashing at all.
 */
import { randomBytes, scryptSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { StaffStore } from "../../src/http/staff/StaffStore.js";
import { pinHasher, SCRYPT_SHAPE } from "../../src/locker/PinHasher.js";
import { hashPin, verifyPin } from "../../src/locker/pins.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import { PinPepper } from "../../src/store/PinPepper.js";

const log = pino({ level: "silent" });
const N = 1024; // cheap for the test; the shape is what is under test
const pepper = PinPepper.fromKey(randomBytes(32));
let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A PIN hash as the lockerd before this change stored it: r = 8, p = 1, sealed with the pepper. */
function legacyPinHash(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, 32, { N, r: 8, p: 1 });
  return `scrypt+p1$${N}$8$1$${salt.toString("base64")}$${pepper.mac(key).toString("base64")}`;
}

describe("scrypt hash shapes", () => {
  it("new PIN hashes are r = 4, p = 2, and verify", async () => {
    expect(SCRYPT_SHAPE).toEqual({ r: 4, p: 2 });
    const stored = await hashPin("482915", N, pepper);
    expect(stored.split("$").slice(0, 4)).toEqual(["scrypt+p1", String(N), "4", "2"]);
    expect(await verifyPin("482915", stored, undefined, pepper)).toBe(true);
    expect(await verifyPin("482916", stored, undefined, pepper)).toBe(false);
  });

  it("a PIN hashed with the old shape (r = 8, p = 1) still opens, and only with its PIN", async () => {
    const stored = legacyPinHash("790413");
    expect(await verifyPin("790413", stored, undefined, pepper)).toBe(true);
    expect(await verifyPin("790414", stored, undefined, pepper)).toBe(false);
  });

  it("a stored shape lockerd never writes never matches, and costs no hash", async () => {
    const good = legacyPinHash("790413").split("$");
    const before = pinHasher.completed;
    for (const [r, p] of [
      ["4096", "1"],
      ["8", "1000"],
      ["0", "1"],
      ["8", "1.5"],
      ["x", "1"],
    ]) {
      const tampered = [good[0], good[1], r, p, good[4], good[5]].join("$");
      expect(await verifyPin("790413", tampered, undefined, pepper), `r=${r} p=${p}`).toBe(false);
    }
    expect(pinHasher.completed).toBe(before);
  });

  it("staff codes made before the change (r = 8, p = 1) still sign in after the migration; new ones are r = 4, p = 2", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-shape-"));
    const file = path.join(dir, "lockerd.sqlite");
    // The database as the lockerd before migration 006 left it, with one staff code in the old shape.
    const before = openDatabase(
      file,
      log,
      MIGRATIONS.filter((m) => m.version < 6),
    );
    const salt = randomBytes(16);
    const oldCode = "31415926";
    before
      .prepare("INSERT INTO staff (id, name, code_salt, code_hash, scrypt_cost, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run("old00001", "老张", salt, pepper.sealBlob(scryptSync(oldCode, salt, 32, { N, r: 8, p: 1 })), N, "2026-11-01T08:00:00.000Z");
    before.close();

    const db = openDatabase(file, log);
    const store = new StaffStore(db, N, undefined, pepper);
    expect(await store.verify(oldCode)).toMatchObject({ id: "old00001", name: "老张" });
    expect(await store.verify("31415927")).toBeUndefined();

    const added = await store.add("小李");
    const shapes = db.prepare("SELECT id, scrypt_r AS r, scrypt_p AS p FROM staff ORDER BY id").all();
    expect(shapes).toEqual(
      expect.arrayContaining([
        { id: "old00001", r: 8, p: 1 },
        { id: added.id, r: 4, p: 2 },
      ]),
    );
    expect(await store.verify(added.code)).toMatchObject({ id: added.id });
    expect(await store.verify(oldCode)).toMatchObject({ id: "old00001" });
    db.close();
  });
});
