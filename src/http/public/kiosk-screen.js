// @ts-check
/**
 * The kiosk's shared state and what every part of it does: switch screens,
 * speak (through voice.js, words in the live region), change language, run
 * the idle timer, show the help phone and a notice.
 */
import { $, all } from "./dom.js";
import { LANGUAGES, phrase } from "./phrases.js";
import { speak } from "./voice.js";

/** @typedef {import("./api.js").Compartment} Compartment */
/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */

export const K = {
  defaultLang: /** @type {string} */ (LANGUAGES[0]),
  screen: "idle",
  rows: 2,
  columns: 3,
  /** Back to the idle screen after this long without a touch, ms (config kiosk.idleTimeoutMs). */
  idleMs: 60000,
  helpPhone: "",
  /** The locker's zone (config timeZone): clock times on screen are in it, marked. */
  timeZone: "",
  /** @type {Compartment[]} */
  compartments: [],
  boardOnline: true,
  /** False while the locker's disk refuses writes: out of service like a board offline (same screen). */
  storageOk: true,
  /** @type {"phone" | "pin" | "staff"} */
  entry: "phone",
  phone: "",
  pin: "",
  code: "",
  /** Doors on the door screen now: number → the prompt that opened it, how often it asked to be closed, and whether it was opened again for the pouch (closed on an empty compartment). @type {Map<number, {purpose: string, caseNumber?: string, nags: number, pouch?: boolean}>} */
  doors: new Map(),
  /** @type {string | null} */
  staffName: null,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  idleTimer: undefined,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  doneTimer: undefined,
  /** Redraws the current screen's words (after a language change). @type {(() => void) | null} */
  render: null,
};

/** What the idle timer does when it runs out (kiosk.js: back to the idle screen). */
export const idle = { timeout: () => {} };

/** Speak a prompt and put its words in the live region. @param {string | string[]} key @param {PhraseVars} [vars] */
export function say(key, vars) {
  $("live").textContent = speak(key, vars);
}

/** @param {string} name @param {() => void} [render] */
export function show(name, render) {
  K.screen = name;
  K.render = render || null;
  all(".screen").forEach((s) => (s.hidden = s.dataset.screen !== name));
  document.body.dataset.screen = name;
  if (render) render();
  armIdle();
}

/** @param {string} lang */
export function applyLang(lang) {
  const l = LANGUAGES.indexOf(/** @type {any} */ (lang)) >= 0 ? lang : LANGUAGES[0];
  document.documentElement.lang = l;
  document.body.dataset.lang = l;
  all("[data-t]").forEach((e) => (e.textContent = phrase(e.dataset.t || "")));
  all(".lang").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === l)));
  if (K.render) K.render();
}

// ---- idle timeout: any touch restarts it; it brings the idle screen back.
export function armIdle() {
  clearTimeout(K.idleTimer);
  if (K.screen === "idle" || K.screen === "offline") return;
  const wait = K.screen === "door" ? K.idleMs * 3 : K.idleMs;
  K.idleTimer = setTimeout(() => idle.timeout(), wait);
}
["pointerdown", "keydown"].forEach((ev) => document.addEventListener(ev, armIdle, { passive: true }));

/** Show the centre's help phone in element `id` (hidden when none is configured). @param {string} id */
export function helpLine(id) {
  const e = $(id);
  e.hidden = !K.helpPhone;
  e.textContent = K.helpPhone ? phrase("helpPhone", { helpPhone: K.helpPhone }) : "";
}

/** A notice screen (door cancelled, door fault), with the help phone when it helps. */
/** @param {string} head @param {string} text @param {boolean} withHelp @param {PhraseVars} [vars] the phrases' values, e.g. `{door: 3}` */
export function notice(head, text, withHelp, vars = {}) {
  show("notice", () => {
    $("notice-h").textContent = phrase(head, vars);
    $("noticeText").textContent = phrase(text, vars);
    if (withHelp) helpLine("noticeHelp");
    else $("noticeHelp").hidden = true;
    say(withHelp && K.helpPhone ? [head, text, "helpPhone"] : [head, text], { ...vars, helpPhone: K.helpPhone });
  });
}
