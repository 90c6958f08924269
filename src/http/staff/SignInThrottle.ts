/**
 * Throttles staff sign-in before the expensive scrypt check: per client, a
 * few free failures, then a lockout that doubles with each further failure
 * (capped); plus a global cap on verifications per minute so many clients
 * cannot run the CPU out either. Monotonic time only.
 */
import type { Clock } from "../../util/clock.js";

export interface SignInThrottleOptions {
  /** Failures per client before the first lockout. default 5. */
  freeFailures?: number;
  /** First lockout, ms; doubles per further failure. default 30000. */
  baseLockoutMs?: number;
  /** Longest lockout, ms. default 900000 (15 min). */
  maxLockoutMs?: number;
  /** Sign-in checks allowed per rolling minute from all clients together. default 60. */
  globalPerMinute?: number;
}

interface ClientState {
  failures: number;
  lockedUntilMono: number;
}

export class SignInThrottle {
  private readonly clients = new Map<string, ClientState>();
  private readonly recent: number[] = [];
  private readonly o: Required<SignInThrottleOptions>;

  constructor(private readonly clock: Clock, opts: SignInThrottleOptions = {}) {
    this.o = { freeFailures: 5, baseLockoutMs: 30_000, maxLockoutMs: 900_000, globalPerMinute: 60, ...opts };
  }

  /** ms the client must wait before another attempt (0 = go ahead; counts the attempt). */
  admit(client: string): number {
    const now = this.clock.monotonicMs();
    const st = this.clients.get(client);
    if (st && st.lockedUntilMono > now) return Math.ceil(st.lockedUntilMono - now);
    while (this.recent.length > 0 && this.recent[0]! <= now - 60_000) this.recent.shift();
    if (this.recent.length >= this.o.globalPerMinute) return Math.ceil(this.recent[0]! + 60_000 - now);
    this.recent.push(now);
    return 0;
  }

  failed(client: string): void {
    const st = this.clients.get(client) ?? { failures: 0, lockedUntilMono: 0 };
    st.failures += 1;
    const over = st.failures - this.o.freeFailures;
    if (over >= 0) st.lockedUntilMono = this.clock.monotonicMs() + Math.min(this.o.maxLockoutMs, this.o.baseLockoutMs * 2 ** Math.min(over, 20));
    this.clients.set(client, st);
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }
}
