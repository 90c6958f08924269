/**
 * One-time drop-off tokens for the kiosk QR: `<lockerId>.<nonce>.<expiry>.<mac>`
 * where mac = HMAC-SHA256(device secret, the first three parts), base64url.
 * Single use is persisted (store/QrTokenRepo.ts). Expiry needs a trusted wall
 * clock: with an unsynchronised one every check refuses with Locker_ClockUnsynced.
 *
 * The wall-clock expiry is also bounded by monotonic time since minting
 * (issue 9, item 10): a clock that is wrong but plausible (NTP not yet
 * reached, a year ahead) and then corrected would otherwise leave a token
 * minted in the wrong year valid for a year. The minting time of each token
 * is kept in memory on the monotonic clock (for `ttlMs` plus the scan grace,
 * then pruned). A restart resets monotonic time, so a token this process did
 * not mint (an older process's, still in a resident's hands) counts as minted
 * when this process started: it lives at most its normal lifetime after a
 * restart, and never beyond its wall-clock expiry.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { QrTokenRepo } from "../store/QrTokenRepo.js";

export interface ParsedToken {
  token: string;
  nonce: string;
  expiresAtWallMs: number;
  /** Monotonic ms since it was minted (since this process started for one it did not mint); 0 when just issued. */
  ageMs: number;
}

/** How long after the scan (WeChat `scancode_time`) a resident may take to fill in the form, ms. */
export const SCAN_GRACE_MS = 15 * 60_000;

export class QrTokens {
  /** Nonce → monotonic ms when this process minted it (insertion order = age order, for pruning). */
  private readonly minted = new Map<string, number>();
  /** Monotonic ms at construction: the minting time assumed for tokens of an earlier process. */
  private readonly startedMono: number;

  constructor(
    private readonly used: QrTokenRepo,
    private readonly secret: Buffer,
    private readonly lockerId: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {
    this.startedMono = clock.monotonicMs();
  }

  /** A fresh signed token valid for `ttlMs`. */
  issue(): ParsedToken {
    this.requireTrustedClock();
    const nonce = randomBytes(12).toString("base64url");
    const expiresAtWallMs = this.clock.wallMs() + this.ttlMs;
    const body = `${this.lockerId}.${nonce}.${expiresAtWallMs.toString(36)}`;
    const now = this.clock.monotonicMs();
    for (const [n, at] of this.minted) {
      if (now - at <= this.ttlMs + SCAN_GRACE_MS) break;
      this.minted.delete(n);
    }
    this.minted.set(nonce, now);
    return { token: `${body}.${this.mac(body)}`, nonce, expiresAtWallMs, ageMs: 0 };
  }

  /**
   * Check a token (or a whole scanned link, possibly URL-encoded as WeChat's `q`)
   * without using it. `scancodeTime` (unix seconds) lets a mini-program form be
   * submitted after expiry if the scan itself was in time (within SCAN_GRACE_MS).
   */
  verify(input: string, scancodeTime?: number): ParsedToken {
    this.requireTrustedClock();
    const token = extractToken(input);
    const parts = token.split(".");
    if (parts.length !== 4) throw invalid();
    const [lockerId, nonce, exp, mac] = parts as [string, string, string, string];
    const body = `${lockerId}.${nonce}.${exp}`;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    if (lockerId !== this.lockerId) throw new LockerError("this QR code belongs to another locker; scan the code on this locker's screen", ErrorCode.Locker_TokenInvalid);
    const expiresAtWallMs = parseInt(exp, 36);
    const now = this.clock.wallMs();
    let at = now;
    if (scancodeTime !== undefined && Number.isFinite(scancodeTime) && Math.abs(now - scancodeTime * 1000) <= SCAN_GRACE_MS) at = Math.min(now, scancodeTime * 1000);
    // Monotonic bound: the same lifetime (plus the scan grace when it applied), whatever the wall clock did since.
    const ageMs = this.clock.monotonicMs() - (this.minted.get(nonce) ?? this.startedMono);
    const lifeMs = this.ttlMs + (at < now ? SCAN_GRACE_MS : 0);
    if (at > expiresAtWallMs || ageMs > lifeMs) throw new LockerError("this QR code has expired; scan the code on the locker's screen again", ErrorCode.Locker_TokenExpired);
    if (this.used.isUsed(nonce)) {
      throw new LockerError("this QR code was already used; scan the new code on the locker's screen", ErrorCode.Locker_TokenUsed);
    }
    return { token, nonce, expiresAtWallMs, ageMs };
  }

  /** Mark a verified token used (inside the transaction that creates the case). Throws Locker_TokenUsed if it raced. */
  claim(t: ParsedToken, caseId: string): void {
    if (!this.used.markUsed(t.nonce, t.expiresAtWallMs, new Date(this.clock.wallMs()).toISOString(), caseId))
      throw new LockerError("this QR code was already used; scan the new code on the locker's screen", ErrorCode.Locker_TokenUsed);
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }

  private requireTrustedClock(): void {
    if (!this.clock.wallClockTrusted()) {
      throw new LockerError("the locker's clock is not set yet (waiting for network time); drop-off is paused, please try again in a few minutes", ErrorCode.Locker_ClockUnsynced);
    }
  }
}

function invalid(): LockerError {
  return new LockerError("this QR code is not valid; scan the code on the locker's screen", ErrorCode.Locker_TokenInvalid);
}

/** Accept a bare token, a `…/d/<token>` link, or that link URL-encoded (WeChat `q`). */
export function extractToken(input: string): string {
  let s = input.trim();
  if (/^https?%3A/i.test(s)) {
    try {
      s = decodeURIComponent(s);
    } catch {
      throw invalid();
    }
  }
  const m = /\/d\/([^/?#\s]+)/.exec(s);
  if (m) s = m[1]!;
  if (s.length > 200 || !/^[A-Za-z0-9_.-]+$/.test(s)) throw invalid();
  return s;
}
