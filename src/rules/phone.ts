/**
 * The resident's mobile number rule, shared by the server and the pages (the
 * pages import the compiled copy from `/assets/rules/phone.js`): a mainland
 * mobile number has 11 digits and starts with 13–19.
 * Pure and browser-safe: no Node imports.
 */

/** A mainland mobile number: 11 digits, first digit 1, second 3–9. */
export const MOBILE_PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** True when `phone` is a mainland mobile number (see `MOBILE_PHONE_PATTERN`). */
export function isMobilePhone(phone: unknown): phone is string {
  return typeof phone === "string" && MOBILE_PHONE_PATTERN.test(phone);
}

/** The number with its middle four digits hidden: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : "***";
}
