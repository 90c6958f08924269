/**
 * Wrong-PIN throttling per phone and per kiosk/client, persisted so a restart
 * does not reset it. Lockouts run on the monotonic clock while the process
 * lives; the wall-clock deadline is persisted for after a restart (clamped to
 * `maxLockoutMs` so a wall clock that jumped back cannot lock a phone for ever).
 * `check` is a couple of indexed lookups and runs before any PIN hash.
 */
import type { PinPolicyConfig } from "../config/LockerConfig.js";
import type { Clock } from "../util/clock.js";
import type { PinThrottleRepo, ThrottleScope } from "../store/PinThrottleRepo.js";
import { clientLockoutMs, phoneLockoutMs, PHONE_FAILURES_FORGET_MS } from "./pinPolicy.js";

export interface FailureOutcome {
  /** Lockout now imposed on the phone, ms (0 = none yet). */
  phoneLockMs: number;
  /** Failures from this client within the burst window. */
  clientFailures: number;
  /** True the first time in a window that the client crossed the burst threshold. */
  burst: boolean;
  /** Wrong PINs from all clients together within the burst window. */
  globalFailures: number;
  /** True the first time in a window that all clients together crossed `globalBurstThreshold` (a flood from many addresses). */
  globalBurst: boolean;
}

export class PinThrottle {
  private readonly deadlines = new Map<string, number>();
  private readonly lastBurstMono = new Map<string, number>();
  /** Monotonic times of recent failures from every client (a flood spread thin over many addresses). */
  private readonly recentFailures: number[] = [];
  private lastGlobalBurstMono: number | undefined;

  constructor(
    private readonly repo: PinThrottleRepo,
    private readonly policy: PinPolicyConfig,
    private readonly clock: Clock,
    /** Keyed hash of a phone number, so the throttle table holds no phone in clear. */
    private readonly phoneKey: (phone: string) => string,
  ) {}

  /** Milliseconds until this phone or client may try again; 0 when allowed. */
  retryAfterMs(phone: string, client: string): number {
    return Math.max(this.remaining("phone", this.phoneKey(phone)), this.remaining("client", client));
  }

  /** Count one failed attempt (call inside the transaction that audits it). */
  recordFailure(phone: string, client: string): FailureOutcome {
    const wall = this.clock.wallMs();
    const key = this.phoneKey(phone);
    const row = this.repo.get("phone", key);
    const failures = (wall - row.last_failure_ms > PHONE_FAILURES_FORGET_MS ? 0 : row.failures) + 1;
    const phoneLockMs = phoneLockoutMs(failures, this.policy);
    this.repo.put("phone", key, { failures, locked_until_ms: phoneLockMs ? wall + phoneLockMs : 0, last_failure_ms: wall });
    if (phoneLockMs) this.deadlines.set(`phone:${key}`, this.clock.monotonicMs() + phoneLockMs);

    const clientFailures = this.repo.recordClientFailure(client, wall, wall - this.policy.burstWindowMs);
    const clientLock = clientLockoutMs(clientFailures, this.policy);
    let burst = false;
    if (clientLock) {
      this.repo.put("client", client, { failures: clientFailures, locked_until_ms: wall + clientLock, last_failure_ms: wall });
      this.deadlines.set(`client:${client}`, this.clock.monotonicMs() + clientLock);
      const last = this.lastBurstMono.get(client);
      if (last === undefined || this.clock.monotonicMs() - last >= this.policy.burstWindowMs) {
        this.lastBurstMono.set(client, this.clock.monotonicMs());
        burst = true;
      }
    }
    const mono = this.clock.monotonicMs();
    this.recentFailures.push(mono);
    while (this.recentFailures.length > 0 && this.recentFailures[0]! <= mono - this.policy.burstWindowMs) this.recentFailures.shift();
    const globalFailures = this.recentFailures.length;
    let globalBurst = false;
    // `?? 100`: configs built by hand before the key existed (tests) still get the default.
    if (globalFailures >= (this.policy.globalBurstThreshold ?? 100) && (this.lastGlobalBurstMono === undefined || mono - this.lastGlobalBurstMono >= this.policy.burstWindowMs)) {
      this.lastGlobalBurstMono = mono;
      globalBurst = true;
    }
    return { phoneLockMs, clientFailures, burst, globalFailures, globalBurst };
  }

  /** A correct PIN clears the phone's count (the client's window simply ages out). */
  recordSuccess(phone: string): void {
    const key = this.phoneKey(phone);
    this.repo.clear("phone", key);
    this.deadlines.delete(`phone:${key}`);
  }

  /** Drop counters that no longer matter (called by the daily-ish sweep). */
  prune(): void {
    const wall = this.clock.wallMs();
    this.repo.prune(wall - PHONE_FAILURES_FORGET_MS, wall);
  }

  private remaining(scope: ThrottleScope, key: string): number {
    const id = `${scope}:${key}`;
    const mono = this.clock.monotonicMs();
    let deadline = this.deadlines.get(id);
    if (deadline === undefined) {
      const row = this.repo.get(scope, key);
      const left = Math.min(row.locked_until_ms - this.clock.wallMs(), this.policy.maxLockoutMs);
      if (left <= 0) return 0;
      deadline = mono + left;
      this.deadlines.set(id, deadline);
    }
    const left = deadline - mono;
    if (left <= 0) this.deadlines.delete(id);
    return Math.max(0, left);
  }
}
