// @ts-check
/**
 * The kiosk keypad: the phone number, then the PIN (the pickup), or the
 * staff code. Refusals are told by error code; the wrong PIN that starts a
 * lockout says so, until when, and the centre's help phone.
 */
import { api, Code, isBoardFailure } from "./api.js";
import { $ } from "./dom.js";
import { K, notice, say, show } from "./kiosk-screen.js";
import { localClock } from "./local-time.js";
import { phrase } from "./phrases.js";
import { isMobilePhone, maskPhone } from "/assets/rules/phone.js";
import { PIN_LENGTH } from "/assets/rules/pin.js";

/** @typedef {import("./api.js").DoorOpened} DoorOpened */
/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */

/** Digits of a staff code. */
const STAFF_CODE_LENGTH = 8;

/** What follows a successful entry (kiosk.js): doors opened by a pickup, staff mode after a staff code. */
export const entryHooks = {
  /** @param {DoorOpened[]} _opened */
  opened: (_opened) => {},
  staff: () => {},
};

// ---- keypad entry: phone, then PIN; or the staff code
function renderEntry() {
  const title = K.entry === "phone" ? "phoneTitle" : K.entry === "pin" ? "pinTitle" : "staffCodeTitle";
  $("entry-h").textContent = phrase(title);
  $("entryOkText").textContent = phrase(K.entry === "phone" ? "next" : "open");
  // The PIN screen names the phone it is for (middle masked: people behind may look).
  const forPhone = $("entryFor");
  forPhone.hidden = K.entry !== "pin";
  forPhone.textContent = K.entry === "pin" ? phrase("pinFor", { phone: maskPhone(K.phone) }) : "";
  let shown;
  if (K.entry === "phone") shown = K.phone.replace(/^(\d{3})(\d{0,4})(\d{0,4}).*/, (_m, a, b, c) => [a, b, c].filter(Boolean).join(" "));
  else {
    const v = K.entry === "pin" ? K.pin : K.code;
    const len = K.entry === "pin" ? PIN_LENGTH : STAFF_CODE_LENGTH;
    shown = "●".repeat(v.length) + "○".repeat(len - v.length);
  }
  $("entryValue").textContent = shown || "\u00a0";
}

/** Show (and say) a message under the typed value; "" hides it. @param {string} key @param {PhraseVars} [vars] */
export function entryMsg(key, vars) {
  const m = $("entryMsg");
  m.hidden = !key;
  m.textContent = key ? phrase(key, vars) : "";
  if (key) say(key, vars);
}

/** Show a lockout message (and the help phone), spoken in one go. @param {string} key @param {PhraseVars} vars */
function lockoutMsg(key, vars) {
  const keys = K.helpPhone ? [key, "helpPhone"] : [key];
  const m = $("entryMsg");
  m.hidden = false;
  m.textContent = keys.map((k) => phrase(k, Object.assign({ helpPhone: K.helpPhone }, vars))).join(" ");
  say(keys, Object.assign({ helpPhone: K.helpPhone }, vars));
}

/** @param {"phone" | "pin" | "staff"} mode */
export function startEntry(mode) {
  K.entry = mode;
  if (mode !== "pin") K.phone = "";
  K.pin = "";
  K.code = "";
  show("entry", () => {
    renderEntry();
    say(mode === "phone" ? "sayPhone" : mode === "pin" ? "sayPin" : "sayStaff");
  });
  entryMsg("");
}

/** @param {string} key */
export function press(key) {
  const field = K.entry === "phone" ? "phone" : K.entry === "pin" ? "pin" : "code";
  const max = field === "phone" ? 11 : field === "pin" ? PIN_LENGTH : STAFF_CODE_LENGTH;
  if (key === "del") K[field] = K[field].slice(0, -1);
  else if (key === "clear") K[field] = "";
  else if (K[field].length < max) K[field] += key;
  $("entryMsg").hidden = true;
  renderEntry();
}

/** "HH:MM UTC+8" a number of seconds from now, in the locker's zone (not the screen PC's). @param {number} s */
function clockIn(s) {
  return localClock(Date.now() + s * 1000, K.timeZone);
}

export async function entryOk() {
  if (K.entry === "phone") {
    if (!isMobilePhone(K.phone)) return entryMsg("phoneBad");
    return startEntry("pin");
  }
  if (K.entry === "pin") return pickup();
  if (!new RegExp(`^\\d{${STAFF_CODE_LENGTH}}$`).test(K.code)) return entryMsg("codeBad");
  const r = await api.staffSignIn(K.code);
  K.code = "";
  renderEntry();
  if (r.ok) {
    K.staffName = r.data.name;
    return entryHooks.staff();
  }
  if (r.error.code === Code.Throttled) return entryMsg("lockout", { wait: r.error.retryAfterS || 60 });
  const m = $("entryMsg");
  m.hidden = false;
  m.textContent = r.error.message || phrase("error");
}

async function pickup() {
  if (!new RegExp(`^\\d{${PIN_LENGTH}}$`).test(K.pin)) return entryMsg("pinBad");
  const pin = K.pin;
  K.pin = "";
  show("wait", () => say("opening"));
  const r = await api.kioskPickup(K.phone, pin);
  if (r.ok && r.data.opened.length) {
    if (K.screen === "wait" || K.screen === "door") entryHooks.opened(r.data.opened);
    return;
  }
  if (K.screen !== "wait") return; // the screen moved on (idle timeout, board offline)
  K.entry = "pin";
  show("entry", () => renderEntry());
  if (r.ok) return entryMsg("wrongPin");
  const e = r.error;
  const wait = e.retryAfterS || 60;
  if (e.code === Code.Throttled) lockoutMsg("lockout", { wait });
  // The wrong PIN that starts a lockout says so at once, and until when.
  else if (e.code === Code.PickupRefused && e.retryAfterS) lockoutMsg("lockedNow", { wait, until: clockIn(wait) });
  else if (e.code === Code.PickupRefused) entryMsg("wrongPin");
  else if (e.code === Code.CaseFrozen) lockoutMsg("frozen", {});
  else if (e.code === Code.Busy) entryMsg("busy");
  else if (isBoardFailure(e.code)) notice("fault", "faultText", true);
  else entryMsg("error");
}
