// @ts-check
/**
 * Every phrase the pages show or speak, by key and language: the kiosk's
 * (kiosk-text.js) and the phone pages' (phone-text.js, case-text.js). `phrase()` words one;
 * voice.js speaks the same keys. Keys are unique across both tables.
 */
import { CASE_TEXT } from "./case-text.js";
import { KIOSK_TEXT } from "./kiosk-text.js";
import { PHONE_TEXT } from "./phone-text.js";

/**
 * Named values a phrase may need.
 * @typedef {{door?: number, doors?: number[], caseNo?: string, wait?: number, until?: string, helpPhone?: string, phone?: string, matter?: string, time?: string}} PhraseVars
 */
/** @typedef {string | ((v: PhraseVars) => string)} Phrase */
/** @typedef {Record<string, Phrase>} PhraseTable */

/** Languages the kiosk ships; the first is the default. */
export const LANGUAGES = /** @type {const} */ (["zh-CN", "zh-TW", "en"]);

/** @type {Record<string, PhraseTable>} */
const TABLES = {};
for (const lang of LANGUAGES) TABLES[lang] = { ...PHONE_TEXT[lang === "en" ? "en" : "zh-CN"], ...CASE_TEXT[lang === "en" ? "en" : "zh-CN"], ...KIOSK_TEXT[lang] };

/** The page's language (`<html lang>`), one of LANGUAGES. */
export function pageLanguage() {
  const lang = document.documentElement.lang;
  return TABLES[lang] ? lang : LANGUAGES[0];
}

/**
 * The words of phrase `key` in `lang` (default: the page's), or the key itself
 * when no table has it (a visible bug rather than a blank).
 * @param {string} key
 * @param {PhraseVars} [vars]
 * @param {string} [lang]
 * @returns {string}
 */
export function phrase(key, vars = {}, lang = pageLanguage()) {
  const p = (TABLES[lang] || TABLES[LANGUAGES[0]])[key];
  if (p === undefined) return key;
  return typeof p === "function" ? p(vars) : p;
}

/** Every phrase key of `lang`. @param {string} lang */
export function phraseKeys(lang) {
  return Object.keys(TABLES[lang] || {});
}
