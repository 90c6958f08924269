/**
 * Staff-code (and resident PIN) hashes are sealed with the device pepper, a
 * file outside the database: a copy of the database verifies nothing without
 * it — not even the right code — while the locker with its pepper file
 * verifies as before. Hashes stored before the pepper existed are sealed at
 * the first start, without knowing any code.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { StaffStore } from "../../src/http/staff/StaffStore.js";
import { createStaffTable } from "../../src/store/StaffRepo.js";
import { PinPepper } from "../../src/store/PinPepper.js";
import { hashPin, sealPinHash, verifyPin } from "../../src/locker/pins.js";

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function freshDb(file: string): Database.Database {
  const db = new Database(file);
  db.transaction(() => createStaffTable(db))();
  return db;
}

describe("the device pepper", () => {
  it("is created 0600 outside the database, and a database copy verifies no staff code without it", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-pepper-"));
    const pepperFile = PinPepper.path(dir);
    const pepper = PinPepper.load(pepperFile);
    expect(fs.statSync(pepperFile).mode & 0o777).toBe(0o600);
    const file = path.join(dir, "lockerd.sqlite");
    const db = freshDb(file);
    const { code } = await new StaffStore(db, 1024, undefined, pepper).add("李明");
    expect(await new StaffStore(db, 1024, undefined, PinPepper.load(pepperFile)).verify(code)).toMatchObject({ name: "李明" });
    db.close();

    // The thief's copy: the database alone, or with a pepper of their own.
    const stolen = path.join(dir, "stolen.sqlite");
    fs.copyFileSync(file, stolen);
    const copy = new Database(stolen);
    expect(await new StaffStore(copy, 1024).verify(code)).toBeUndefined();
    expect(await new StaffStore(copy, 1024, undefined, PinPepper.fromKey(randomBytes(32))).verify(code)).toBeUndefined();
    // Nothing in the database is the bare scrypt output a cracker would test guesses against.
    const row = copy.prepare("SELECT code_hash FROM staff").get() as { code_hash: Buffer };
    expect(PinPepper.isSealedBlob(row.code_hash)).toBe(true);
    copy.close();
  });

  it("seals hashes stored before the pepper existed, once, and they still verify", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-pepper-"));
    const db = freshDb(path.join(dir, "lockerd.sqlite"));
    const { code } = await new StaffStore(db, 1024).add("王芳"); // an older lockerd: no pepper
    const pepper = PinPepper.load(PinPepper.path(dir));
    const store = new StaffStore(db, 1024, undefined, pepper);
    expect(store.sealOldHashes()).toBe(1);
    expect(store.sealOldHashes()).toBe(0);
    expect(await store.verify(code)).toMatchObject({ name: "王芳" });
    expect(await new StaffStore(db, 1024).verify(code)).toBeUndefined();
    db.close();
  });

  it("refuses a damaged pepper file with a message instead of starting with a new one", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-pepper-"));
    fs.writeFileSync(PinPepper.path(dir), "not hex\n", { mode: 0o600 });
    expect(() => PinPepper.load(PinPepper.path(dir))).toThrow(/restore it from its backup/);
  });
});

describe("resident PIN hashes", () => {
  it("verify only with the pepper they were sealed with; pre-pepper hashes are sealed without the PIN", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-pepper-"));
    const pepper = PinPepper.load(PinPepper.path(dir));
    const stored = await hashPin("730241", 1024, pepper);
    expect(stored.startsWith("scrypt+p1$")).toBe(true);
    expect(await verifyPin("730241", stored, undefined, pepper)).toBe(true);
    expect(await verifyPin("730241", stored)).toBe(false); // a database copy: no pepper
    expect(await verifyPin("730241", stored, undefined, PinPepper.fromKey(randomBytes(32)))).toBe(false);
    const legacy = await hashPin("480213", 1024);
    const sealed = sealPinHash(legacy, pepper);
    expect(sealed).not.toBe(legacy);
    expect(await verifyPin("480213", sealed, undefined, pepper)).toBe(true);
    expect(await verifyPin("480213", sealed)).toBe(false);
  });
});
