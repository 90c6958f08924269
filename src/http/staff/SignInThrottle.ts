/**
 * Throttles staff sign-in before the expensive scrypt check, without ever
 * locking the real staff out:
 * - per client (address): a few free failures, then a lockout that doubles
 *   with each further failure (capped);
 * - per code tried: the same wrong code sprayed from many addresses is locked
 *   the same way (a right code never fails, so it is never locked);
 * - globally: no cap (one used to let 70 wrong codes from 14 addresses lock
 *   every staff member out for a minute); instead, failures from all clients
 *   over `alarmPerMinute` in a rolling minute raise one alarm, re-armed once
 *   the rate falls below half of it.
 * Monotonic time only. Codes are remembered only as keyed hashes.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Clock } from "../../util/clock.js";

export interface SignInThrottleOptions {
  /** Failures per client before the first lockout. default 5. */
  freeFailures?: number;
  /** Failures of one code (from any clients) before that code is locked. default 5. */
  codeFreeFailures?: number;
  /** First lockout, ms; doubles per further failure. default 30000. */
  baseLockoutMs?: number;
  /** Longest lockout, ms. default 900000 (15 min). */
  maxLockoutMs?: number;
  /** Failed sign-ins per rolling minute, all clients together, that raise the alarm. default 30. */
  alarmPerMinute?: number;
  /** Called once when the global failure rate crosses `alarmPerMinute` (failures in the last minute). */
  onBurst?: (failuresLastMinute: number) => void;
}

interface Lock {
  failures: number;
  lockedUntilMono: number;
  lastMono: number;
}

/** Keys kept per map at most; the oldest are forgotten first (a flood of fresh addresses cannot grow memory). */
const MAX_KEYS = 10_000;

export class SignInThrottle {
  private readonly clients = new Map<string, Lock>();
  private readonly codes = new Map<string, Lock>();
  private readonly recentFailures: number[] = [];
  private alarmRaised = false;
  private readonly key = randomBytes(32);
  private readonly o: Required<Omit<SignInThrottleOptions, "onBurst">> & Pick<SignInThrottleOptions, "onBurst">;

  constructor(
    private readonly clock: Clock,
    opts: SignInThrottleOptions = {},
  ) {
    this.o = { freeFailures: 5, codeFreeFailures: 5, baseLockoutMs: 30_000, maxLockoutMs: 900_000, alarmPerMinute: 30, ...opts };
  }

  /** ms the client must wait before trying `code` (0 = go ahead and hash it). */
  admit(client: string, code: string): number {
    const now = this.clock.monotonicMs();
    const wait = Math.max(this.waitOf(this.clients.get(client), now), this.waitOf(this.codes.get(this.codeKey(code)), now));
    return Math.ceil(wait);
  }

  failed(client: string, code: string): void {
    const now = this.clock.monotonicMs();
    this.bump(this.clients, client, this.o.freeFailures, now);
    this.bump(this.codes, this.codeKey(code), this.o.codeFreeFailures, now);
    this.recentFailures.push(now);
    while (this.recentFailures.length > 0 && this.recentFailures[0]! <= now - 60_000) this.recentFailures.shift();
    const n = this.recentFailures.length;
    if (!this.alarmRaised && n >= this.o.alarmPerMinute) {
      this.alarmRaised = true;
      this.o.onBurst?.(n);
    } else if (this.alarmRaised && n < this.o.alarmPerMinute / 2) this.alarmRaised = false;
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }

  private waitOf(l: Lock | undefined, now: number): number {
    return l && l.lockedUntilMono > now ? l.lockedUntilMono - now : 0;
  }

  private bump(map: Map<string, Lock>, key: string, free: number, now: number): void {
    const l = map.get(key) ?? { failures: 0, lockedUntilMono: 0, lastMono: now };
    // A day without failures forgives the past.
    if (now - l.lastMono > 86_400_000) l.failures = 0;
    l.failures += 1;
    l.lastMono = now;
    const over = l.failures - free;
    if (over >= 0) l.lockedUntilMono = now + Math.min(this.o.maxLockoutMs, this.o.baseLockoutMs * 2 ** Math.min(over, 20));
    map.delete(key);
    map.set(key, l);
    if (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
  }

  private codeKey(code: string): string {
    return createHmac("sha256", this.key).update(code).digest("base64");
  }
}
