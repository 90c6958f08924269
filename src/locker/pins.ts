/**
 * Resident PINs: six digits, weak ones refused, stored only as a salted
 * scrypt hash ("scrypt$N$r$p$salt$hash", base64), compared in constant time.
 * A PIN is never logged, never put in an error's context.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { pinHashWorker } from "./PinHashWorker.js";

const KEY_LEN = 32;
const SCRYPT_R = 8;
const SCRYPT_P = 1;

/** PINs people pick first; refused in addition to repeats and runs. */
const COMMON = new Set(["123123", "121212", "112233", "520520", "520131", "131420", "147258", "258369", "159753", "110110", "100200", "666888", "888666"]);

/** Why a PIN is weak, or undefined if it is acceptable. `phone` is the resident's 11-digit number. */
export function pinWeakness(pin: string, phone?: string): string | undefined {
  if (!/^\d{6}$/.test(pin)) return "the PIN must be exactly 6 digits";
  if (/^(\d)\1{5}$/.test(pin)) return "the PIN must not be one digit repeated";
  const d = [...pin].map(Number);
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return "the PIN must not be a run such as 123456 or 654321";
  if (COMMON.has(pin)) return "this PIN is too common";
  if (phone && phone.length >= 6 && phone.endsWith(pin)) return "the PIN must not be the last six digits of the phone number";
  return undefined;
}

/** Throw `Locker_WeakPin` unless `pin` is six digits and not weak. */
export function assertPinAcceptable(pin: string, phone?: string): void {
  const why = pinWeakness(pin, phone);
  if (why) throw new LockerError(`${why}; choose another 6-digit PIN`, ErrorCode.Locker_WeakPin);
}

/** How many 6-digit PINs `pinWeakness` refuses for a given phone (used by PIN_POLICY.md's figures). */
export function countWeakPins(phone: string): number {
  let n = 0;
  for (let i = 0; i < 1_000_000; i++) if (pinWeakness(String(i).padStart(6, "0"), phone)) n++;
  return n;
}

function derive(pin: string, salt: Buffer, n: number): Promise<Buffer> {
  return pinHashWorker.derive({ pin, salt, keyLen: KEY_LEN, n, r: SCRYPT_R, p: SCRYPT_P });
}

/** Salted scrypt hash of `pin` with cost `n` (a power of two). Runs off the event loop, on the one PIN hashing thread (PinHashWorker). */
export async function hashPin(pin: string, n: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, n);
  return `scrypt$${n}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** True when `pin` matches `stored` (constant-time compare). A malformed `stored` never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const n = Number(parts[1]);
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await derive(pin, salt, n);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Synchronous `hashPin` for the rare staff PIN reset (blocks ~50 ms at the default cost). */
export function hashPinSync(pin: string, n: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, KEY_LEN, { N: n, r: SCRYPT_R, p: SCRYPT_P, maxmem: 256 * n * SCRYPT_R + 1024 * 1024 });
  return `scrypt$${n}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString("base64")}$${key.toString("base64")}`;
}
