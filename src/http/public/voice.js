// @ts-check
/**
 * The one way the pages speak. Every spoken prompt is `speak(key, vars)`:
 * a phrase key (or several keys said in a row) from phrases.js plus the
 * values it names, e.g. `speak("doorOpen", {door: 3})`,
 * `speak(["doorOpen", "doorPut"], {door: 3})`, `speak("caseNo", {caseNo: "A01"})`.
 * The language is the page's (`<html lang>`).
 *
 * It plays pre-rendered audio clips (no network beyond the locker, no system
 * text-to-speech) through one `<audio>` element: the clip list comes from
 * the daemon (`/voice/clips.json`), voice-compose.js picks the clips, numbers
 * and case numbers are composed from digit and letter clips. A clip that
 * does not play is reported to the daemon from the kiosk (and shown on the
 * console elsewhere), never swallowed; the words are on screen all the same.
 *
 * The interface the pages rely on (keep it when the implementation changes):
 * `speak(key | keys, vars) → words`, `prepare(key | keys, vars)` (what the
 * read-aloud button will say, without saying it now), `speakAgain() → words`
 * (in the page's current language), `hush()`, and `played()` (whether the
 * last prompt played to its end: staff mode's voice test).
 */
import { api } from "./api.js";
import { pageLanguage, phrase } from "./phrases.js";
import { composeClips } from "./voice-compose.js";

/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */
/** @typedef {import("./api.js").VoiceClips} VoiceClips */

/** The same failure is reported at most once per this long, ms (a broken clip must not flood the log). */
const REPORT_EVERY_MS = 60000;

/** @type {{keys: string[], vars: PhraseVars} | undefined} */
let last;
/** @type {Promise<VoiceClips | undefined> | undefined} */
let list;
/** @type {HTMLAudioElement | undefined} */
let player;
/** Bumped by each speak() and hush(): an older prompt stops at its next clip. */
let turn = 0;
/** Ends the clip playing now (resolved as interrupted). @type {(() => void) | undefined} */
let interrupt;
/** @type {Promise<boolean>} */
let finished = Promise.resolve(true);
/** @type {Record<string, number>} */
const reported = {};

const onKiosk = () => location.pathname.indexOf("/kiosk") === 0;

function clipList() {
  if (!list) {
    list = api.voiceClips().then((r) => {
      if (r.ok) return r.data;
      list = undefined; // try again next time
      fail("clips.json", r.error.message, []);
      return undefined;
    });
  }
  return list;
}

function audio() {
  if (!player) {
    player = document.createElement("audio");
    player.id = "voice";
    player.preload = "auto";
    player.hidden = true;
    document.body.appendChild(player);
  }
  return player;
}

/** @param {string} clip @param {string} reason @param {string[]} keys */
function fail(clip, reason, keys) {
  const seen = clip + " " + reason;
  const now = Date.now();
  if (reported[seen] && now - reported[seen] < REPORT_EVERY_MS) return;
  reported[seen] = now;
  console.warn("voice: " + clip + " did not play: " + reason);
  document.body.dataset.voiceFailed = clip;
  if (onKiosk()) void api.voiceFailure({ clip: clip.slice(0, 120), reason: reason.slice(0, 200), keys: keys.slice(0, 10) });
}

/**
 * Play one clip to its end; false when it failed (reported), true when it
 * ended or was interrupted by a newer prompt.
 * @param {string} clip @param {number} mine @param {string[]} keys @param {number} volume
 * @returns {Promise<boolean>}
 */
function playClip(clip, mine, keys, volume) {
  return new Promise((resolve) => {
    const a = audio();
    /** @param {boolean} ok */
    const done = (ok) => {
      a.removeEventListener("ended", onEnded);
      a.removeEventListener("error", onError);
      interrupt = undefined;
      resolve(ok);
    };
    const onEnded = () => done(true);
    const onError = () => {
      const e = a.error;
      fail(clip, e ? "MediaError " + e.code + (e.message ? ": " + e.message : "") : "error", keys);
      done(false);
    };
    interrupt = () => done(true);
    a.addEventListener("ended", onEnded);
    a.addEventListener("error", onError);
    a.volume = volume;
    a.src = "/voice/" + clip;
    a.play().catch((/** @type {Error} */ e) => {
      // A newer prompt replaced this one (AbortError): not a failure.
      if (mine !== turn) return done(true);
      fail(clip, e.name + ": " + e.message, keys);
      done(false);
    });
  });
}

/** @param {string[]} keys @param {PhraseVars} vars @param {string} lang @param {number} mine */
async function play(keys, vars, lang, mine) {
  const clips = await clipList();
  if (!clips || mine !== turn) return !!clips;
  const said = composeClips(clips.langs, keys, vars, lang);
  said.missing.forEach((m) => fail(m, "no clip", keys));
  let ok = said.missing.length === 0;
  const volume = onKiosk() ? clips.kioskVolume : 1;
  for (const clip of said.clips) {
    if (mine !== turn) break;
    if (!(await playClip(clip, mine, keys, volume))) ok = false;
  }
  return ok;
}

function stop() {
  turn++;
  if (interrupt) interrupt();
  if (player && !player.paused) player.pause();
}

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
  const lang = pageLanguage();
  const text = keys
    .map((k) => phrase(k, vars, lang))
    .filter(Boolean)
    .join(" ");
  stop();
  finished = play(keys, vars, lang, turn);
  return text;
}

/** Whether the last prompt played to its end without a failure (staff mode's voice test). */
export function played() {
  return finished;
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
  stop();
}
