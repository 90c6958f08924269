/**
 * Resident PINs: six digits, weak ones refused, stored only as a salted
 * scrypt hash ("scrypt$N$r$p$salt$hash", base64), compared in constant time.
 * A PIN is never logged, never put in an error's context.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { pinWeakness, type PinWeakness } from "../rules/pin.js";
import { isPlausibleScryptShape, pinHasher, SCRYPT_SHAPE, scryptOptions } from "./PinHasher.js";
import type { HashPriority } from "../util/HashBudget.js";
import type { PinPepper } from "../store/PinPepper.js";

const KEY_LEN = 32;

/** How the server words each weakness the shared rule (src/rules/pin.ts) finds; the pages word them in their own language. */
export const PIN_WEAKNESS_MESSAGES: Readonly<Record<PinWeakness, string>> = {
  "not-six-digits": "the PIN must be exactly 6 digits",
  "one-digit-repeated": "the PIN must not be one digit repeated",
  run: "the PIN must not be a run such as 123456 or 654321",
  "repeated-pattern": "the PIN must not repeat a pattern such as 121212 or 123123",
  common: "this PIN is too common",
  "phone-tail": "the PIN must not be the last six digits of the phone number",
};

/** Why a PIN is weak, worded for the resident, or undefined if it is acceptable. `phone` is the resident's 11-digit number. */
export function pinWeaknessMessage(pin: string, phone?: string): string | undefined {
  const why = pinWeakness(pin, phone);
  return why === undefined ? undefined : PIN_WEAKNESS_MESSAGES[why];
}

/** Throw `Locker_WeakPin` unless `pin` is six digits and not weak. */
export function assertPinAcceptable(pin: string, phone?: string): void {
  const why = pinWeaknessMessage(pin, phone);
  if (why) throw new LockerError(`${why}; choose another 6-digit PIN`, ErrorCode.Locker_WeakPin);
}

/** How many 6-digit PINs the shared `pinWeakness` rule refuses for a given phone (used by PIN_POLICY.md's figures). */
export function countWeakPins(phone: string): number {
  let n = 0;
  for (let i = 0; i < 1_000_000; i++) if (pinWeakness(String(i).padStart(6, "0"), phone)) n++;
  return n;
}

/** Whose PIN check this is, for the hash budget (PinHasher): the locker's screen goes first. */
export interface CheckOrigin {
  priority: HashPriority;
  /** Network checks are taken round-robin per client. */
  client?: string;
}

/** Refuse a check at once (`Locker_Busy`) when the hash budget would refuse it anyway: before any lookup. */
export function refuseWhenHashQueueFull(origin: CheckOrigin): void {
  pinHasher.budget.refuseIfFull(origin.priority);
}

/** scrypt cost and shape of one hash: new hashes take SCRYPT_SHAPE, a stored one keeps what it was made with. */
interface HashParams {
  n: number;
  r: number;
  p: number;
}

function derive(pin: string, salt: Buffer, params: HashParams, origin: CheckOrigin = { priority: "setup" }): Promise<Buffer> {
  return pinHasher.derive({ pin, salt, keyLen: KEY_LEN, ...params }, origin.priority, origin.client ?? "");
}

/**
 * Stored forms: `scrypt$N$r$p$salt$key` (before the pepper) and
 * `scrypt+p1$N$r$p$salt$mac`, mac = HMAC-SHA256(device pepper, scrypt key):
 * without the pepper file a copy of the database cannot test a single guess.
 */
const PEPPERED = "scrypt+p1";

function format({ n, r, p }: HashParams, salt: Buffer, key: Buffer, pepper?: PinPepper): string {
  const [scheme, value] = pepper ? [PEPPERED, pepper.mac(key)] : ["scrypt", key];
  return `${scheme}$${n}$${r}$${p}$${salt.toString("base64")}$${value.toString("base64")}`;
}

/** Salted scrypt hash of `pin` with cost `n` (a power of two), sealed with `pepper`. One hash at a time, through the PIN hasher (PinHasher). */
export async function hashPin(pin: string, n: number, pepper?: PinPepper): Promise<string> {
  const salt = randomBytes(16);
  const params = { n, ...SCRYPT_SHAPE };
  return format(params, salt, await derive(pin, salt, params), pepper);
}

/** True when `pin` matches `stored` (constant-time compare). A malformed `stored`, or a peppered one without the pepper, never matches. */
export async function verifyPin(pin: string, stored: string, origin?: CheckOrigin, pepper?: PinPepper): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || (parts[0] !== "scrypt" && parts[0] !== PEPPERED)) return false;
  const params = { n: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  if (!isPlausibleScryptShape(params.r, params.p)) return false;
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await derive(pin, salt, params, origin);
  const got = parts[0] === PEPPERED ? pepper?.mac(key) : key;
  return got !== undefined && got.length === expected.length && timingSafeEqual(got, expected);
}

/** Synchronous `hashPin` for the rare staff PIN reset (blocks ~50 ms at the default cost). */
export function hashPinSync(pin: string, n: number, pepper?: PinPepper): string {
  const salt = randomBytes(16);
  const params = { n, ...SCRYPT_SHAPE };
  return format(params, salt, scryptSync(pin, salt, KEY_LEN, scryptOptions(params)), pepper);
}

/** A pre-pepper `scrypt$…` hash sealed with `pepper` (no PIN needed: the stored key is what gets sealed); others unchanged. */
export function sealPinHash(stored: string, pepper: PinPepper): string {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return stored;
  const params = { n: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  return format(params, Buffer.from(parts[4]!, "base64"), Buffer.from(parts[5]!, "base64"), pepper);
}
