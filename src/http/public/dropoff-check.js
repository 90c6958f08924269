// @ts-check
/**
 * What the drop-off form checks before sending, with the same rule modules
 * the server uses (/assets/rules/*.js are the compiled src/rules/*.ts), so
 * the form and the server can never disagree on a phone number or a weak PIN.
 * Pure: no DOM, so a test can import it in the browser and call it.
 * Kept to ES2017 syntax (older WeChat in-app browsers).
 */
import { isMobilePhone } from "/assets/rules/phone.js";
import { pinWeakness } from "/assets/rules/pin.js";

/** @typedef {{matter?: string, phone: string, pin: string, pin2: string, consent: boolean}} DropoffValues */

/**
 * The problems with a filled form: field → phrase key (phone-text.js). Empty when it may be sent.
 * @param {DropoffValues} v
 * @returns {Record<string, string>}
 */
export function checkDropoff(v) {
  /** @type {Record<string, string>} */
  const errs = {};
  if (!v.matter) errs.matter = "errMatter";
  if (!isMobilePhone(v.phone)) errs.phone = "errPhone";
  const weak = pinWeakness(v.pin, isMobilePhone(v.phone) ? v.phone : undefined);
  if (weak === "not-six-digits") errs.pin = "errPinDigits";
  else if (weak) errs.pin = "errPinWeak";
  if (v.pin2 !== v.pin) errs.pin2 = "errPinAgain";
  if (!v.consent) errs.consent = "errConsent";
  return errs;
}

/**
 * The form's verdict on one PIN for one phone: true when it would refuse it
 * (what the Must-show test compares with the server's rule).
 * @param {string} pin
 * @param {string} phone
 */
export function formRefusesPin(pin, phone) {
  return checkDropoff({ matter: "x", phone, pin, pin2: pin, consent: true }).pin !== undefined;
}

/** The form's verdict on a phone number: true when it would refuse it. @param {string} phone */
export function formRefusesPhone(phone) {
  return checkDropoff({ matter: "x", phone, pin: "", pin2: "", consent: true }).phone !== undefined;
}
