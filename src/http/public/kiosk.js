// @ts-check
/**
 * Kiosk screen logic. Screens are <section data-screen>; the server pushes
 * door prompts, QR rotations, compartment changes and board state over
 * server-sent events (/kiosk/events). Every spoken prompt goes through
 * voice.js; every API call through api.js (decided by error code).
 * Nobody is left stuck: after each flow and on idle the screen goes back to
 * the idle QR screen, in the default language, with nothing typed left.
 */
import { api, markKioskScreen } from "./api.js";
import { $, all } from "./dom.js";
import { entryHooks, entryMsg, entryOk, press, startEntry } from "./kiosk-entry.js";
import { renderFront } from "./kiosk-front.js";
import { applyLang, helpLine, idle, K, notice, say, show } from "./kiosk-screen.js";
import { renderStaff } from "./kiosk-staff.js";
import { phrase } from "./phrases.js";
import { hush, speakAgain } from "./voice.js";

/** @typedef {import("./api.js").DoorOpened} DoorOpened */
/** @typedef {{compartment: number, purpose: string, caseNumber?: string, phase: string}} DoorPrompt */

/** How long the thank-you screen stays before the idle screen, ms. */
const DONE_SCREEN_MS = 8000;

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
  if (!K.boardOnline || !K.storageOk) return showOffline();
  show("idle", () => {
    const full = showFull();
    say(full ? (K.helpPhone ? ["lockerFull", "helpPhone"] : "lockerFull") : "sayIdle", { helpPhone: K.helpPhone });
  });
}

/**
 * No free compartment: the QR card says the locker is full (and the help
 * phone) instead of offering a drop-off that would be refused. True when full.
 */
function showFull() {
  const full = K.compartments.length > 0 && !K.compartments.some((c) => c.status === "free");
  $("qr").hidden = full;
  $("dropHint").hidden = full;
  const note = $("fullNote");
  note.hidden = !full;
  note.textContent = full ? [phrase("lockerFull"), K.helpPhone ? phrase("helpPhone", { helpPhone: K.helpPhone }) : ""].join(" ").trim() : "";
  return full;
}

function showOffline() {
  show("offline", () => {
    helpLine("offlineHelp");
    say(K.helpPhone ? ["offlineTitle", "offlineText", "helpPhone"] : ["offlineTitle", "offlineText"], { helpPhone: K.helpPhone });
  });
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
  } else if (p.phase === "put-pouch-in") {
    // Boards with item sensors: the drop-off door closed on an empty compartment and is opened once
    // more; ask for the pouch (closed empty again, the core cancels the drop-off).
    clearTimeout(K.doneTimer);
    K.doors.clear();
    K.doors.set(n, { purpose: "dropoff", caseNumber: p.caseNumber, nags: 0, pouch: true });
    showDoors();
  } else if (p.phase === "left-behind") {
    // The door closed (the pickup or collect counts) with something still inside: staff have an alarm.
    K.doors.delete(n);
    notice("leftBehind", "leftBehindText", true, { door: n });
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
    const pouch = doors.length === 1 && !closing && d.pouch === true;
    const vars = { door: first, doors };
    const head = doors.length > 1 ? "doorsOpen" : closing ? "pleaseClose" : pouch ? "putPouchIn" : "doorOpen";
    const act =
      doors.length > 1
        ? "doorsTake"
        : closing
          ? "pleaseCloseText"
          : pouch
            ? "putPouchInText"
            : d.purpose === "dropoff"
              ? "doorPut"
              : d.purpose === "pickup"
                ? "doorTake"
                : "doorStaff";
    $("doorHeadline").textContent = phrase(head, vars);
    $("doorAction").textContent = phrase(act, vars);
    const cases = doors.map((n) => (K.doors.get(n) || {}).caseNumber).filter(Boolean);
    $("doorCase").textContent = cases.map((c) => phrase("caseNo", { caseNo: c })).join("  ");
    $("doorScreen").classList.toggle("closing", closing || pouch);
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
  K.timeZone = s.timeZone || "";
  if (K.screen === "idle") showFull();
  $("displayName").textContent = s.displayName;
  if (s.qr) $("qr").innerHTML = s.qr.svg;
  else $("qr").textContent = phrase("qrPaused");
  setService(s.boardOnline, s.storageOk !== false);
}
/**
 * In service needs the board answering and the disk taking writes; either
 * failing shows the one out-of-service screen (with the help phone).
 * @param {boolean} online @param {boolean} storageOk
 */
function setService(online, storageOk) {
  const was = K.boardOnline && K.storageOk;
  K.boardOnline = online;
  K.storageOk = storageOk;
  const now = online && storageOk;
  if (!now && K.screen !== "staff") showOffline();
  else if (now && (!was || K.screen === "offline")) goIdle();
}
function connect() {
  const es = new EventSource("/kiosk/events");
  /** @param {string} name @param {(data: any) => void} fn */
  const on = (name, fn) => es.addEventListener(name, (e) => fn(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  on("prompt", onPrompt);
  on("qr", (q) => ($("qr").innerHTML = q.svg));
  on("compartments", (c) => {
    K.compartments = c;
    if (K.screen === "idle") showFull();
    if (K.screen === "door") renderFront($("front"), K, [...K.doors.keys()]);
  });
  on("board", (b) => setService(b.online, K.storageOk));
  on("storage", (st) => setService(K.boardOnline, st.ok));
  es.addEventListener("open", async () => {
    document.body.dataset.live = "1";
    const s = await api.kioskState();
    if (s.ok) applyState(s.data);
  });
  es.addEventListener("error", () => (document.body.dataset.live = "0"));
}

async function start() {
  markKioskScreen();
  idle.timeout = () => {
    if (K.staffName) void staffSignOut();
    goIdle();
  };
  entryHooks.opened = onPickupOpened;
  entryHooks.staff = showStaff;
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
  if (K.boardOnline && K.storageOk) goIdle();
  connect();
  document.body.dataset.ready = "1";
}

void start();
