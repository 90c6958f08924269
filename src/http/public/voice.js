// @ts-check
/**
 * The one way the pages speak. Every spoken prompt is `speak(key, vars)`:
 * a phrase key (or several keys said in a row) from phrases.js plus the
 * values it names, e.g. `speak("doorOpen", {door: 3})`,
 * `speak(["doorOpen", "doorPut"], {door: 3})`, `speak("caseNo", {caseNo: "A01"})`.
 * The language is the page's (`<html lang>`).
 *
 * For now it reads the phrase text with the browser's speechSynthesis; it is
 * the seam where pre-rendered audio clips replace that (issue 14 item 1), so
 * callers never handle text-to-speech themselves. Speech is a help, never a
 * blocker: a browser without a voice shows the words all the same.
 *
 * The interface the pages rely on (keep it when the implementation changes):
 * `speak(key | keys, vars) → words`, `prepare(key | keys, vars)` (what the
 * read-aloud button will say, without saying it now), `speakAgain() → words`
 * (in the page's current language) and `hush()`.
 */
import { pageLanguage, phrase } from "./phrases.js";

/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */

/** @type {{keys: string[], vars: PhraseVars} | undefined} */
let last;

/**
 * Say phrase `key` (or the keys in turn) with `vars`; returns the words said,
 * for the page's live region.
 * @param {string | string[]} key
 * @param {PhraseVars} [vars]
 * @returns {string}
 */
export function speak(key, vars = {}) {
  const keys = Array.isArray(key) ? key : [key];
  last = { keys, vars };
  const text = keys.map((k) => phrase(k, vars)).filter(Boolean).join(" ");
  try {
    if (!("speechSynthesis" in window)) return text;
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = pageLanguage();
    u.rate = 0.85;
    window.speechSynthesis.speak(u);
  } catch (e) {
    // No voice on this device: the words are on screen.
  }
  return text;
}

/**
 * Make `key` what the read-aloud button says, without saying it now (a page
 * that just opened must not start talking on a phone).
 * @param {string | string[]} key
 * @param {PhraseVars} [vars]
 */
export function prepare(key, vars = {}) {
  last = { keys: Array.isArray(key) ? key : [key], vars };
}

/** Say the last prompt again, in the page's current language; returns its words. */
export function speakAgain() {
  return last ? speak(last.keys, last.vars) : "";
}

/** Stop speaking (leaving a screen). */
export function hush() {
  try {
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  } catch (e) {
    // nothing to stop
  }
}
