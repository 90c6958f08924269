/**
 * Limits on what people type and on compartment numbers, shared by the
 * server (validation, config schema) and the pages (input `maxlength`,
 * keypads). Pure and browser-safe: no Node imports.
 */

/** Compartment numbers painted on the doors: 1 to 99. */
export const COMPARTMENT_NUMBER = { min: 1, max: 99 } as const;

/** Longest resident name, characters. */
export const NAME_MAX_CHARS = 40;

/** Longest resident note, characters. */
export const NOTE_MAX_CHARS = 200;

/** Longest reason staff give for opening a door, characters (it goes into the audit trail). */
export const REASON_MAX_CHARS = 200;

/** True when `n` is an integer compartment number within `COMPARTMENT_NUMBER` (a string such as "0x1" is not). */
export function isCompartmentNumber(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= COMPARTMENT_NUMBER.min && n <= COMPARTMENT_NUMBER.max;
}
