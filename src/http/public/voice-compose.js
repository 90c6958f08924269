// @ts-check
/**
 * Which clips say a phrase: the phrase's template from the clip list (clip
 * ids with placeholders, served by the daemon as /voice/clips.json) with the
 * placeholders filled by number, letter and unit clips: door 3 is `num.3`,
 * case "A27" is `letter.A num.2 num.7`, 120 s is `num.2 unit.min`, doors
 * [1, 5] are `num.1 join.doors num.5`. Pure (no DOM), so tests run it in
 * Node too. Kept to ES2017 syntax (the phone page loads it).
 */

/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */
/** @typedef {string | {v: string}} TemplatePart */
/** @typedef {Record<string, Record<string, TemplatePart[]>>} Templates */

/** Languages whose words fall back to another's when a phrase has no clip of its own (the phone texts ship no zh-TW). */
const FALLBACK = /** @type {Record<string, string>} */ ({ "zh-TW": "zh-CN" });

/**
 * Clips saying whole number `n` (0–9999; larger ones digit by digit).
 * @param {number} n @param {string} lang @returns {string[]}
 */
export function numberClips(n, lang) {
  n = Math.max(0, Math.floor(n));
  if (n > 9999) return digitClips(String(n));
  return lang === "en" ? enNumber(n) : zhNumber(n);
}

/** @param {number} n @returns {string[]} */
function zhNumber(n) {
  if (n < 10) return ["num." + n];
  const d = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  const units = ["num.1000", "num.100", "num.10", ""];
  /** @type {string[]} */
  const out = [];
  let zero = false;
  d.forEach((digit, i) => {
    if (digit === 0) {
      if (out.length) zero = true;
      return;
    }
    if (zero) out.push("num.0");
    zero = false;
    // 10–19 are "十", "十一"…, not "一十一".
    if (!(i === 2 && digit === 1 && n < 20)) out.push("num." + digit);
    if (units[i]) out.push(units[i]);
  });
  return out;
}

/** @param {number} n @returns {string[]} */
function enNumber(n) {
  /** @type {string[]} */
  const out = [];
  if (n >= 1000) out.push("num." + Math.floor(n / 1000), "num.1000");
  if (Math.floor(n / 100) % 10) out.push("num." + (Math.floor(n / 100) % 10), "num.100");
  const r = n % 100;
  if (r < 20) {
    if (r || !out.length) out.push("num." + r);
  } else {
    out.push("num." + (r - (r % 10)));
    if (r % 10) out.push("num." + (r % 10));
  }
  return out;
}

/** Digits and letters said one by one ("A27", "0874-3126000"); other characters are skipped. @param {string} s */
export function digitClips(s) {
  /** @type {string[]} */
  const out = [];
  for (const ch of String(s).toUpperCase()) {
    if (ch >= "0" && ch <= "9") out.push("num." + ch);
    else if (ch >= "A" && ch <= "Z") out.push("letter." + ch);
  }
  return out;
}

/** A wait in seconds as the texts word it: minutes (rounded up) from 60 s, else seconds. @param {number} s @param {string} lang */
export function waitClips(s, lang) {
  return s >= 60 ? numberClips(Math.ceil(s / 60), lang).concat("unit.min") : numberClips(s, lang).concat("unit.s");
}

/**
 * A local time "HH:MM": "14点5分" / "14 oh 5". The screen marks the zone
 * ("20:14 UTC+8", local-time.js); the voice says the time without it.
 * @param {string} hhmm @param {string} lang
 */
export function timeClips(hhmm, lang) {
  const m = /^(\d{1,2}):(\d\d)(?: UTC(?:[+-]\d{1,2}(?::\d\d)?)?)?$/.exec(String(hhmm));
  if (!m) return digitClips(hhmm);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (lang === "en") return numberClips(h, lang).concat(min === 0 ? ["time.oclock"] : min < 10 ? ["time.oh", "num." + min] : numberClips(min, lang));
  return numberClips(h, lang).concat("time.h", min === 0 ? [] : min < 10 ? ["num.0", "num." + min, "time.m"] : numberClips(min, lang).concat("time.m"));
}

/**
 * The clips of placeholder `name` for `vars`.
 * @param {string} name @param {PhraseVars} vars @param {string} lang @returns {string[]}
 */
export function placeholderClips(name, vars, lang) {
  const doors = vars.doors || [];
  switch (name) {
    case "door":
      return numberClips(Number(vars.door), lang);
    case "doors":
      return doors.reduce((/** @type {string[]} */ out, d, i) => out.concat(i ? ["join.doors"] : [], numberClips(d, lang)), []);
    case "ndoors":
      return numberClips(doors.length, lang);
    case "wait":
      return waitClips(Number(vars.wait), lang);
    case "until":
      return timeClips(String(vars.until || ""), lang);
    case "caseNo":
      return digitClips(String(vars.caseNo || ""));
    case "helpPhone":
      return digitClips(String(vars.helpPhone || ""));
    case "phone":
      return digitClips(String(vars.phone || ""));
    default:
      return [];
  }
}

/**
 * The clips (`<lang>/<id>`) that say `keys` in turn with `vars`, and what has
 * no clip (`<lang>/<id>` or `<lang>/<key>`), so the caller can report it.
 * @param {Templates} templates @param {string[]} keys @param {PhraseVars} vars @param {string} lang
 * @returns {{clips: string[], missing: string[]}}
 */
export function composeClips(templates, keys, vars, lang) {
  /** @type {string[]} */
  const clips = [];
  /** @type {string[]} */
  const missing = [];
  /** @param {string} id @returns {string | undefined} */
  const find = (id) => {
    const table = templates[lang];
    if (table && table[id]) return lang;
    const fb = FALLBACK[lang];
    const other = fb ? templates[fb] : undefined;
    return other && other[id] ? fb : undefined;
  };
  for (const key of keys) {
    const at = find(key);
    if (!at) {
      missing.push(lang + "/" + key);
      continue;
    }
    for (const part of templates[at][key]) {
      if (typeof part === "string") {
        clips.push(at + "/" + part);
        continue;
      }
      for (const id of placeholderClips(part.v, vars, at)) {
        const bAt = find(id);
        if (bAt) clips.push(bAt + "/" + id);
        else missing.push(at + "/" + id);
      }
    }
  }
  return { clips, missing };
}
