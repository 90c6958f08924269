// @ts-check
/**
 * Resident page /d/<token> (the kiosk's QR): opening it claims the token for
 * a form session (POST /api/sessions; the address becomes /f/<session> so a
 * reload keeps it). 存件: form → POST /api/dropoff → case number, door and live
 * status (polled). 取件: phone + PIN → POST /api/pickup (the session proves the
 * resident is at the locker). What is typed is kept in localStorage (never the
 * PIN), so a lapsed session or a failed step loses nothing; the time left
 * shows only under two minutes.
 * After the drop-off the page's address becomes the case link (/c/<token>,
 * history.replaceState) and it keeps following the case like the case page.
 * Decides by error code (api.js), speaks by phrase key (voice.js).
 * Kept to ES2017 syntax (no ?? or ?.): older WeChat in-app browsers lack them.
 */
import { api, Code } from "./api.js";
import { caseKeys, finished } from "./case-text.js";
import { $, el, find, input } from "./dom.js";
import { checkDropoff } from "./dropoff-check.js";
import { clearDraft, restoreDraft, saveDraft } from "./dropoff-draft.js";
import { phrase } from "./phrases.js";
import { prepare, speak, speakAgain } from "./voice.js";

/** How often the status is polled while the door is open, ms. */
const POLL_MS = 1500;
/** How often afterwards, while staff work on it (days; a few seconds is live enough), ms. */
const FOLLOW_MS = 3000;
const FIELDS = ["matter", "phone", "pin", "pin2", "consent", "form"];

const parts = location.pathname.split("/");
/** "d": a fresh scan; "f": a form session after a reload. */
const kind = parts[1];
const key = decodeURIComponent(parts.pop() || "");
let session = kind === "f" ? key : "";
/** performance.now() when the session lapses (0: unknown). */
let deadline = 0;
let lapsed = false;
const SHOW_LEFT_MS = 2 * 60 * 1000;
/** @type {{caseId: string, caseNumber: string, compartment: number, state: string} | null} */
let caseInfo = null;
let helpPhone = "";

/** @param {string} field @param {string} text */
function setErr(field, text) {
  $("err-" + field).textContent = text;
  const box = find(field);
  if (box) box.setAttribute("aria-invalid", text ? "true" : "false");
}

/** Show and say a case's state. @param {{number: string, state: string, compartment?: number}} c */
function renderStatus(c) {
  const k = caseKeys(c.state);
  const door = c.compartment !== undefined ? c.compartment : caseInfo ? caseInfo.compartment : 0;
  const vars = { door, caseNo: c.number };
  $("caseLine").textContent = phrase("caseNo", vars);
  $("doorLine").textContent = c.state === "dropoff_pending" ? phrase("doorNo", vars) : "";
  $("stateLine").textContent = phrase(k.title, vars);
  $("stepLine").textContent = phrase(k.sentence, vars);
  document.body.dataset.caseState = c.state;
  say(c.state === "dropoff_pending" ? [k.title, k.sentence, "caseNo"] : [k.title, k.sentence], vars);
}

/** The page keeps following the case until it is collected or cancelled (its address is the case link now). */
async function poll() {
  if (!caseInfo) return;
  const r = await api.caseStatus(caseInfo.caseId);
  if (r.ok && r.data.state !== caseInfo.state) {
    caseInfo.state = r.data.state;
    renderStatus(r.data);
  }
  if (r.ok && finished(r.data.state)) return;
  setTimeout(poll, r.ok && r.data.state !== "dropoff_pending" ? FOLLOW_MS : POLL_MS);
}

/**
 * Make this page the bookmarkable case link: the address bar holds it (no
 * reload), and the page shows it and how the resident will be told.
 * @param {string | undefined} link
 * @param {string | undefined} notice
 */
function becomeCaseLink(link, notice) {
  if (notice) $("noticeLine").textContent = notice;
  if (!link) return;
  $("caseLink").textContent = link;
  $("caseLinkBox").hidden = false;
  try {
    history.replaceState(null, "", new URL(link).pathname);
  } catch (_e) {
    // An old browser: the link is on the page to copy.
  }
}

/** @param {Event} ev */
async function submit(ev) {
  ev.preventDefault();
  const checked = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="matter"]:checked'));
  const v = { matter: checked ? checked.value : "", phone: input("phone").value.trim(), pin: input("pin").value, pin2: input("pin2").value, consent: input("consent").checked };
  const errs = checkDropoff(v);
  FIELDS.forEach((f) => setErr(f, errs[f] ? phrase(errs[f]) : ""));
  const first = FIELDS.filter((f) => errs[f])[0];
  if (first) return void say(errs[first]);
  const btn = /** @type {HTMLButtonElement} */ ($("submit"));
  btn.disabled = true;
  btn.textContent = phrase("submitting");
  saveDraft();
  /** @type {Record<string, unknown>} */
  const body = { session, matter: v.matter, phone: v.phone, pin: v.pin, pinConfirm: v.pin2, consent: true };
  const name = input("name").value.trim();
  const note = input("note").value.trim();
  if (name) body.name = name;
  if (note) body.note = note;
  const r = await api.dropoff(body);
  btn.disabled = false;
  btn.textContent = phrase("submit");
  if (!r.ok) return void refused(r.error);
  clearDraft();
  $("timeLeft").hidden = true;
  caseInfo = { caseId: r.data.caseId, caseNumber: r.data.caseNumber, compartment: r.data.compartment, state: "dropoff_pending" };
  becomeCaseLink(r.data.caseLink, r.data.notice);
  $("form").hidden = true;
  $("status").hidden = false;
  renderStatus({ number: r.data.caseNumber, state: "dropoff_pending", compartment: r.data.compartment });
  setTimeout(poll, POLL_MS);
}

/** Say why the server refused, by error code. @param {import("./api.js").ApiError} e */
function refused(e) {
  // The session lapsed (or the link is spent): keep every field and say what to do.
  if (e.code === Code.FormSessionExpired || e.code === Code.TokenExpired || e.code === Code.TokenUsed || e.code === Code.TokenInvalid) return showLapsed("", "");
  if (e.code === Code.WeakPin) return showErr("pin", "errPinWeak");
  if (e.code === Code.NoFreeCompartment || e.code === Code.StoreUnwritable) {
    const key = e.code === Code.NoFreeCompartment ? "errFull" : "errOutOfService";
    setErr("form", phrase(key) + (helpPhone ? " " + phrase("helpPhone", { helpPhone }) : ""));
    return void say(helpPhone ? [key, "helpPhone"] : key, { helpPhone });
  }
  if (e.code === Code.Network) return showErr("form", "errNetwork");
  const field = e.field === "pinConfirm" ? "pin2" : e.field || "form";
  if (e.code === Code.InvalidInput && FIELD_KEYS[field]) return showErr(field, FIELD_KEYS[field]);
  // Anything else: the server's own words (Chinese first).
  setErr(find("err-" + field) ? field : "form", e.message);
}

/** @type {Record<string, string>} a refused input field → the phrase that says what to fix */
const FIELD_KEYS = { matter: "errMatter", phone: "errPhone", pin: "errPinDigits", pin2: "errPinAgain", consent: "errConsent" };

/** @param {string} field @param {string} key */
function showErr(field, key) {
  setErr(field, phrase(key));
  say(key);
}

/**
 * A matter as a big tile: radio, pictogram, Chinese label (English under it).
 * @param {import("./api.js").Matter} m
 * @param {number} i
 */
function matterTile(m, i) {
  const tile = el("label", null, { class: "tile", for: "m" + i });
  tile.appendChild(el("input", null, { type: "radio", name: "matter", value: m.id, id: "m" + i }));
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "pict");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `/assets/icons.svg#i-m-${m.icon || "document"}`);
  svg.appendChild(use);
  tile.appendChild(svg);
  const words = el("span", m.label["zh-CN"] || m.id, { class: "tile-zh" });
  if (m.label.en) words.appendChild(el("span", m.label.en, { class: "tile-en", lang: "en" }));
  tile.appendChild(words);
  return tile;
}

/** Say something and put its words in the page's live region. @param {string | string[]} key @param {import("./phrases.js").PhraseVars} [vars] */
function say(key, vars) {
  $("said").textContent = speak(key, vars);
}

/** The session lapsed or the link is spent: say so, keep the fields. @param {string} title @param {string} text */
function showLapsed(title, text) {
  lapsed = true;
  saveDraft();
  if (title) $("lapsedTitle").textContent = title;
  if (text) $("lapsedText").textContent = text;
  $("lapsed").hidden = false;
  $("timeLeft").hidden = true;
  $("said").textContent = $("lapsedTitle").textContent + "。" + $("lapsedText").textContent;
}

/** Once a second: the time left, only when it is short. */
function tick() {
  if (!deadline || lapsed || caseInfo) return;
  const left = deadline - performance.now();
  if (left <= 0) return showLapsed("", "");
  if (left > SHOW_LEFT_MS) return;
  const s = Math.ceil(left / 1000);
  const mm = Math.floor(s / 60);
  const ss = s % 60;
  $("timeLeft").textContent = `还剩 ${mm} 分 ${ss} 秒，请尽快提交。Time left: ${mm}:${ss < 10 ? "0" : ""}${ss}`;
  $("timeLeft").hidden = false;
}

/** @param {Event} ev */
async function pickup(ev) {
  ev.preventDefault();
  ["pphone", "ppin", "pickup"].forEach((f) => ($("err-" + f).textContent = ""));
  const phone = input("pphone").value.trim();
  const pin = input("ppin").value;
  if (!/^1[3-9]\d{9}$/.test(phone)) return void showErr("pphone", "errPhone");
  if (!/^\d{6}$/.test(pin)) return void showErr("ppin", "errPinDigits");
  const btn = /** @type {HTMLButtonElement} */ ($("pickupSubmit"));
  btn.disabled = true;
  const r = await api.pickup(session, phone, pin);
  btn.disabled = false;
  if (!r.ok) {
    if (r.error.code === Code.FormSessionExpired) return showLapsed("取件时间已过", "请回到柜子前，重新扫一扫屏幕上的二维码，再点“取件”。");
    $("err-pickup").textContent = r.error.message;
    $("said").textContent = r.error.message;
    return;
  }
  const doors = r.data.opened.map((o) => o.compartment).join("、");
  $("pickup").hidden = true;
  $("opened").hidden = false;
  $("openedDoor").textContent = doors + "号门";
  document.body.dataset.opened = doors;
  $("said").textContent = doors + "号门已打开。请取出材料，然后关好柜门。";
}

/** @param {"dropoff" | "pickup"} which */
function choose(which) {
  $("choice").hidden = true;
  $(which === "pickup" ? "pickup" : "form").hidden = false;
  document.body.dataset.mode = which;
}

/** Claim the scanned link for a session, or pick the session up again after a reload. */
async function openSession() {
  const r = kind === "f" ? await api.session(key) : await api.openSession(key);
  if (!r.ok) return r;
  session = r.data.session;
  deadline = performance.now() + r.data.remainingMs;
  if (kind === "d" && history.replaceState) history.replaceState(null, "", "/f/" + encodeURIComponent(session));
  return r;
}

async function start() {
  $("speak").addEventListener("click", () => ($("said").textContent = speakAgain()));
  const r = await api.formInfo();
  if (!r.ok) return void ($("loading").textContent = phrase("errNetwork"));
  const opened = await openSession();
  const info = r.data;
  helpPhone = info.helpPhone || "";
  $("displayName").textContent = info.displayName;
  const box = $("matters");
  info.matters.forEach((m, i) => box.appendChild(matterTile(m, i)));
  $("form").addEventListener("submit", submit);
  $("pickup").addEventListener("submit", pickup);
  $("chooseDropoff").addEventListener("click", () => choose("dropoff"));
  $("choosePickup").addEventListener("click", () => choose("pickup"));
  ["phone", "name", "note", "consent"].forEach((id) => $(id).addEventListener("change", saveDraft));
  $("matters").addEventListener("change", saveDraft);
  const hadDraft = restoreDraft();
  $("loading").hidden = true;
  document.body.dataset.ready = "1";
  prepare("formIntro");
  if (!opened.ok) {
    if (opened.error.code === Code.Network) return void ($("loading").textContent = phrase("errNetwork"));
    if (opened.error.code === Code.StoreUnwritable) {
      // Out of service (the locker's disk refuses writes): say so, with the help phone, instead of a form that cannot work.
      $("loading").hidden = false;
      $("loading").textContent = phrase("errOutOfService") + (helpPhone ? " " + phrase("helpPhone", { helpPhone }) : "");
      return void say(helpPhone ? ["errOutOfService", "helpPhone"] : "errOutOfService", { helpPhone });
    }
    if (opened.error.code === Code.FormSessionExpired) showLapsed("", "");
    else showLapsed("这个二维码已经用过或过期了", "为了安全，每个二维码只能用一次。请回到柜子前，用微信重新扫一扫屏幕上的二维码。");
    if (hadDraft) $("form").hidden = false;
    return;
  }
  if (hadDraft) choose("dropoff");
  else $("choice").hidden = false;
  setInterval(tick, 1000);
}

void start();
