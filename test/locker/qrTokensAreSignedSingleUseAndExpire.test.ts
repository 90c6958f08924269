import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import pino from "pino";
import { ManualClock } from "../../src/util/clock.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import { QrTokenRepo } from "../../src/store/QrTokenRepo.js";
import { QrTokens, SCAN_GRACE_MS } from "../../src/locker/QrTokens.js";
import { loadOrCreateDeviceSecret } from "../../src/locker/deviceSecret.js";
import { ErrorCode } from "../../src/errors/LockerError.js";

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-qr-"));
  const db = openDatabase(path.join(dir, "l.sqlite"), pino({ level: "silent" }));
  const secretFile = path.join(dir, "device-secret");
  const secret = loadOrCreateDeviceSecret(secretFile);
  const clock = new ManualClock();
  return { dir, db, secretFile, secret, clock, qr: new QrTokens(new QrTokenRepo(db), secret, "locker-a", clock, 120_000) };
}

describe("QR drop-off tokens", () => {
  it("the device secret is created once, 32 random bytes, file mode 0600, and reused", () => {
    const { secretFile, secret } = setup();
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(secret.length).toBe(32);
    expect(loadOrCreateDeviceSecret(secretFile).equals(secret)).toBe(true);
  });

  it("verifies a fresh token, a /d/ link and the WeChat form (q = the URL-encoded link)", () => {
    const { qr } = setup();
    const t = qr.issue();
    const link = `https://centre.example/d/${t.token}`;
    expect(qr.verify(t.token).nonce).toBe(t.nonce);
    expect(qr.verify(link).nonce).toBe(t.nonce);
    expect(qr.verify(encodeURIComponent(link)).nonce).toBe(t.nonce);
  });

  it("refuses a forged signature, another locker's token, garbage, an expired token and a used one", () => {
    const { qr, db, secret, clock } = setup();
    const t = qr.issue();
    const forged = t.token.slice(0, -2) + (t.token.endsWith("AA") ? "BB" : "AA");
    expect(() => qr.verify(forged)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenInvalid }));
    const other = new QrTokens(new QrTokenRepo(db), secret, "locker-b", clock, 120_000).issue();
    expect(() => qr.verify(other.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenInvalid, message: expect.stringMatching(/another locker/) }));
    expect(() => qr.verify("<script>")).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenInvalid }));
    qr.claim(qr.verify(t.token), "case-1");
    expect(() => qr.verify(t.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenUsed }));
    const late = qr.issue();
    clock.advance(120_001);
    expect(() => qr.verify(late.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenExpired }));
  });

  it("a mini-program form sent after expiry is accepted if the scan (scancode_time) was in time, within the grace", () => {
    const { qr, clock } = setup();
    const t = qr.issue();
    const scannedAtS = Math.floor(clock.wallMs() / 1000) + 10;
    clock.advance(5 * 60_000);
    expect(() => qr.verify(t.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenExpired }));
    expect(qr.verify(t.token, scannedAtS).nonce).toBe(t.nonce);
    clock.advance(SCAN_GRACE_MS);
    expect(() => qr.verify(t.token, scannedAtS)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenExpired }));
  });

  it("refuses to issue or check tokens while the wall clock is not trusted", () => {
    const { qr, clock } = setup();
    const t = qr.issue();
    clock.trusted = false;
    expect(() => qr.verify(t.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_ClockUnsynced }));
    expect(() => qr.issue()).toThrow(expect.objectContaining({ code: ErrorCode.Locker_ClockUnsynced }));
  });
});
