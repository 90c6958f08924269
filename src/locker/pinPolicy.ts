/**
 * The PIN-guessing policy as pure arithmetic (see PIN_POLICY.md for the
 * reasoning and the resulting odds). Lockouts per phone grow exponentially:
 * none for the first `freeAttempts` failures, then `baseLockoutMs` doubling
 * with each further failure, capped at `maxLockoutMs`.
 */
import type { PinPolicyConfig } from "../config/LockerConfig.js";

/** Lockout (ms) imposed after the `failures`-th consecutive failure of one phone. */
export function phoneLockoutMs(failures: number, p: PinPolicyConfig): number {
  if (failures < p.freeAttempts) return 0;
  const exp = Math.min(failures - p.freeAttempts, 30);
  return Math.min(p.baseLockoutMs * 2 ** exp, p.maxLockoutMs);
}

/** Lockout (ms) imposed on a kiosk/client that reached the burst threshold within the window. */
export function clientLockoutMs(failuresInWindow: number, p: PinPolicyConfig): number {
  return failuresInWindow >= p.burstThreshold ? p.baseLockoutMs : 0;
}

/** True when a case with this many failed attempts in total must be frozen until a staff PIN reset. */
export function caseMustFreeze(failures: number, p: PinPolicyConfig): boolean {
  return failures >= p.freezeAfterFailures;
}

/** A phone's failure count is forgotten after a quiet day (a lockout alone expires sooner). */
export const PHONE_FAILURES_FORGET_MS = 86_400_000;
