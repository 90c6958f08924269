/**
 * The resident PIN strength rule, shared by the server and the pages (the
 * pages import the compiled copy from `/assets/rules/pin.js`), so the form
 * and the server can never disagree on which PIN is weak.
 * Pure and browser-safe: no Node imports.
 */

/** Digits in a resident PIN. */
export const PIN_LENGTH = 6;

/** Why a PIN is refused; each page and the server words it in its own language. */
export type PinWeakness =
  | "not-six-digits" // anything but exactly six ASCII digits
  | "one-digit-repeated" // 000000, 777777
  | "run" // 123456, 654321, 890123 (ascending or descending, wrapping 9→0)
  | "repeated-pattern" // 121212, 123123
  | "common" // PINs people pick first (dates, lucky numbers, keypad lines)
  | "phone-tail"; // the last six digits of the resident's own phone

/** PINs people pick first that the structural rules above do not catch. */
const COMMON_PINS: ReadonlySet<string> = new Set(["112233", "520520", "520131", "131420", "147258", "258369", "159753", "110110", "100200", "666888", "888666"]);

/**
 * Why `pin` is weak, or undefined when it is acceptable.
 * `phone` is the resident's 11-digit number, when known.
 */
export function pinWeakness(pin: string, phone?: string): PinWeakness | undefined {
  if (!/^\d{6}$/.test(pin)) return "not-six-digits";
  if (/^(\d)\1{5}$/.test(pin)) return "one-digit-repeated";
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return "run";
  if (/^(\d\d)\1\1$/.test(pin) || /^(\d\d\d)\1$/.test(pin)) return "repeated-pattern";
  if (COMMON_PINS.has(pin)) return "common";
  if (phone !== undefined && phone.length >= PIN_LENGTH && phone.endsWith(pin)) return "phone-tail";
  return undefined;
}
