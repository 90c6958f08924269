// @ts-check
/**
 * Kiosk screen logic. Screens are <section data-screen>; the server pushes
 * door prompts, QR rotations, compartment changes and board state over
 * server-sent events (/kiosk/events). Every spoken prompt goes through
 * voice.js; every API call through api.js (decided by error code).
 * Nobody is left stuck: after each flow and on idle the screen goes back to
 * the idle QR screen, in the default language, with nothing typed left.
 */
import { api, Code, isBoardFailure, markKioskScreen } from "./api.js";
import { $, all } from "./dom.js";
import { renderFront } from "./kiosk-front.js";
import { renderStaff } from "./kiosk-staff.js";
import { LANGUAGES, phrase } from "./phrases.js";
import { hush, speak, speakAgain } from "./voice.js";
import { isMobilePhone, maskPhone } from "/assets/rules/phone.js";
import { PIN_LENGTH } from "/assets/rules/pin.js";

/** @typedef {import("./api.js").Compartment} Compartment */
/** @typedef {import("./api.js").DoorOpened} DoorOpened */
/** @typedef {{compartment: number, purpose: string, caseNumber?: string, phase: string}} DoorPrompt */
/** @typedef {import("./phrases.js").PhraseVars} PhraseVars */

/** Digits of a staff code. */
const STAFF_CODE_LENGTH = 8;
/** How long the thank-you screen stays before the idle screen, ms. */
const DONE_SCREEN_MS = 8000;

const K = {
  defaultLang: /** @type {string} */ (LANGUAGES[0]),
  screen: "idle",
  rows: 2,
  columns: 3,
  /** Back to the idle screen after this long without a touch, ms (config kiosk.idleTimeoutMs). */
  idleMs: 60000,
  helpPhone: "",
  /** @type {Compartment[]} */
  compartments: [],
  boardOnline: true,
  /** @type {"phone" | "pin" | "staff"} */
  entry: "phone",
  phone: "",
  pin: "",
  code: "",
  /** Doors on the door screen now: number → the prompt that opened it and how often it asked to be closed. @type {Map<number, {purpose: string, caseNumber?: string, nags: number}>} */
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

/** Speak a prompt and put its words in the live region. @param {string | string[]} key @param {PhraseVars} [vars] */
function say(key, vars) {
  $("live").textContent = speak(key, vars);
}

/** @param {string} name @param {() => void} [render] */
function show(name, render) {
  K.screen = name;
  K.render = render || null;
  all(".screen").forEach((s) => (s.hidden = s.dataset.screen !== name));
  document.body.dataset.screen = name;
  if (render) render();
  armIdle();
}

/** @param {string} lang */
function applyLang(lang) {
  const l = LANGUAGES.indexOf(/** @type {any} */ (lang)) >= 0 ? lang : LANGUAGES[0];
  document.documentElement.lang = l;
  document.body.dataset.lang = l;
  all("[data-t]").forEach((e) => (e.textContent = phrase(e.dataset.t || "")));
  all(".lang").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === l)));
  if (K.render) K.render();
}

// ---- idle timeout: any touch restarts it; it brings the idle screen back.
function armIdle() {
  clearTimeout(K.idleTimer);
  if (K.screen === "idle" || K.screen === "offline") return;
  const wait = K.screen === "door" ? K.idleMs * 3 : K.idleMs;
  K.idleTimer = setTimeout(() => {
    if (K.staffName) void staffSignOut();
    goIdle();
  }, wait);
}
["pointerdown", "keydown"].forEach((ev) => document.addEventListener(ev, armIdle, { passive: true }));

/** Forget everything typed, back to the default language and the idle (or out-of-service) screen. */
function goIdle() {
  clearTimeout(K.doneTimer);
  K.phone = "";
  K.pin = "";
  K.code = "";
  K.doors.clear();
  $("entryValue").textContent = "\u00a0";
  entryMsg("");
  K.render = null;
  applyLang(K.defaultLang);
  if (!K.boardOnline) return showOffline();
  show("idle", () => say("sayIdle"));
}

function showOffline() {
  show("offline", () => {
    helpLine("offlineHelp");
    say(K.helpPhone ? ["offlineTitle", "offlineText", "helpPhone"] : ["offlineTitle", "offlineText"], { helpPhone: K.helpPhone });
  });
}

/** Show the centre's help phone in element `id` (hidden when none is configured). @param {string} id */
function helpLine(id) {
  const e = $(id);
  e.hidden = !K.helpPhone;
  e.textContent = K.helpPhone ? phrase("helpPhone", { helpPhone: K.helpPhone }) : "";
}

// ---- door prompts pushed by the daemon, and doors opened by a pickup
/** @param {DoorPrompt} p */
function onPrompt(p) {
  const n = p.compartment;
  if (p.phase === "open") {
    clearTimeout(K.doneTimer);
    // Two ready cases of one resident open together: keep both on screen; anything else starts afresh.
    const together = p.purpose === "pickup" && K.screen === "door" && [...K.doors.values()].every((d) => d.purpose === "pickup");
    if (!together) K.doors.clear();
    const had = K.doors.get(n);
    K.doors.set(n, { purpose: p.purpose, caseNumber: p.caseNumber, nags: had ? had.nags : 0 });
    showDoors();
  } else if (p.phase === "please-close") {
    // The core says "please-close" once when it sees the door open (the resident is busy at it:
    // keep "door N is open") and again each time the door stays open too long (then ask plainly).
    const d = K.doors.get(n);
    if (!d) return;
    d.nags++;
    if (d.nags > 1) showDoors();
  } else if (p.phase === "closed") {
    if (!K.doors.has(n)) return;
    const d = K.doors.get(n);
    K.doors.delete(n);
    if (K.doors.size) return showDoors();
    showDone(d ? d.purpose : p.purpose);
  } else if (p.phase === "cancelled") {
    K.doors.delete(n);
    notice("cancelled", "cancelledText", false);
  } else if (p.phase === "fault") {
    K.doors.delete(n);
    notice("fault", "faultText", true);
  }
}

/** @param {DoorOpened[]} opened */
function onPickupOpened(opened) {
  K.doors.clear();
  for (const o of opened) K.doors.set(o.compartment, { purpose: "pickup", caseNumber: o.caseNumber, nags: 0 });
  showDoors();
}

function showDoors() {
  show("door", () => {
    const doors = [...K.doors.keys()].sort((a, b) => a - b);
    const first = /** @type {number} */ (doors[0]);
    const d = K.doors.get(first) || { purpose: "pickup", nags: 0 };
    const closing = doors.length === 1 && d.nags > 1;
    const vars = { door: first, doors };
    const head = doors.length > 1 ? "doorsOpen" : closing ? "pleaseClose" : "doorOpen";
    const act = doors.length > 1 ? "doorsTake" : closing ? "pleaseCloseText" : d.purpose === "dropoff" ? "doorPut" : d.purpose === "pickup" ? "doorTake" : "doorStaff";
    $("doorHeadline").textContent = phrase(head, vars);
    $("doorAction").textContent = phrase(act, vars);
    const cases = doors.map((n) => (K.doors.get(n) || {}).caseNumber).filter(Boolean);
    $("doorCase").textContent = cases.map((c) => phrase("caseNo", { caseNo: c })).join("  ");
    $("doorScreen").classList.toggle("closing", closing);
    $("doorScreen").dataset.doors = doors.join(",");
    renderFront($("front"), K, doors);
    say([head, act], vars);
  });
}

/** @param {string} purpose */
function showDone(purpose) {
  const text = purpose === "dropoff" ? "thanksDrop" : purpose === "pickup" ? "thanksPick" : "thanksStaff";
  show("done", () => {
    $("doneText").textContent = phrase(text);
    say(["thanks", text]);
  });
  K.doneTimer = setTimeout(() => (K.staffName ? showStaff() : goIdle()), DONE_SCREEN_MS);
}

/** @param {string} head @param {string} text @param {boolean} withHelp */
function notice(head, text, withHelp) {
  show("notice", () => {
    $("notice-h").textContent = phrase(head);
    $("noticeText").textContent = phrase(text);
    if (withHelp) helpLine("noticeHelp");
    else $("noticeHelp").hidden = true;
    say(withHelp && K.helpPhone ? [head, text, "helpPhone"] : [head, text], { helpPhone: K.helpPhone });
  });
}

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
function entryMsg(key, vars) {
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
function startEntry(mode) {
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
function press(key) {
  const field = K.entry === "phone" ? "phone" : K.entry === "pin" ? "pin" : "code";
  const max = field === "phone" ? 11 : field === "pin" ? PIN_LENGTH : STAFF_CODE_LENGTH;
  if (key === "del") K[field] = K[field].slice(0, -1);
  else if (key === "clear") K[field] = "";
  else if (K[field].length < max) K[field] += key;
  $("entryMsg").hidden = true;
  renderEntry();
}

/** Local "HH:MM" a number of seconds from now. @param {number} s */
function clockIn(s) {
  const t = new Date(Date.now() + s * 1000);
  return `${String(t.getHours()).padStart(2, "0")}:${String(t.getMinutes()).padStart(2, "0")}`;
}

async function entryOk() {
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
    return showStaff();
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
    if (K.screen === "wait" || K.screen === "door") onPickupOpened(r.data.opened);
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

// ---- staff mode on the kiosk
async function showStaff() {
  show("staff", () => {
    $("staffName").textContent = K.staffName || "";
    say("staffTitle");
  });
  await renderStaff(K.compartments, { signedOut: () => ((K.staffName = null), goIdle()), said: (t) => ($("live").textContent = t) });
}
async function staffSignOut() {
  K.staffName = null;
  await api.staffSignOut();
}

// ---- live updates
/** @param {import("./api.js").KioskState} s */
function applyState(s) {
  K.rows = s.rows;
  K.columns = s.columns;
  K.idleMs = s.idleTimeoutMs;
  K.compartments = s.compartments;
  K.helpPhone = s.helpPhone || "";
  $("displayName").textContent = s.displayName;
  if (s.qr) $("qr").innerHTML = s.qr.svg;
  else $("qr").textContent = phrase("qrPaused");
  setBoard(s.boardOnline);
}
/** @param {boolean} online */
function setBoard(online) {
  const was = K.boardOnline;
  K.boardOnline = online;
  if (!online && K.screen !== "staff") showOffline();
  else if (online && (!was || K.screen === "offline")) goIdle();
}
function connect() {
  const es = new EventSource("/kiosk/events");
  /** @param {string} name @param {(data: any) => void} fn */
  const on = (name, fn) => es.addEventListener(name, (e) => fn(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  on("prompt", onPrompt);
  on("qr", (q) => ($("qr").innerHTML = q.svg));
  on("compartments", (c) => {
    K.compartments = c;
    if (K.screen === "door") renderFront($("front"), K, [...K.doors.keys()]);
  });
  on("board", (b) => setBoard(b.online));
  es.addEventListener("open", async () => {
    document.body.dataset.live = "1";
    const s = await api.kioskState();
    if (s.ok) applyState(s.data);
  });
  es.addEventListener("error", () => (document.body.dataset.live = "0"));
}

async function start() {
  markKioskScreen();
  all(".key").forEach((b) => b.addEventListener("click", () => press(b.dataset.key || "")));
  all(".lang").forEach((b) => b.addEventListener("click", () => applyLang(b.dataset.lang || "")));
  $("speak").addEventListener("click", () => ($("live").textContent = speakAgain()));
  $("collect").addEventListener("click", () => startEntry("phone"));
  $("staffEnter").addEventListener("click", () => startEntry("staff"));
  $("entryOk").addEventListener("click", entryOk);
  $("entryBack").addEventListener("click", () => (K.entry === "pin" ? startEntry("phone") : goIdle()));
  $("noticeOk").addEventListener("click", goIdle);
  $("staffExit").addEventListener("click", async () => {
    await staffSignOut();
    goIdle();
  });
  window.addEventListener("pagehide", hush);
  const s = await api.kioskState();
  if (s.ok) {
    K.defaultLang = s.data.defaultLanguage;
    applyState(s.data);
  }
  if (K.boardOnline) goIdle();
  connect();
  document.body.dataset.ready = "1";
}

void start();
