// @ts-check
/**
 * Resident drop-off page /d/<token>: form → POST /api/dropoff → case number,
 * door and live status (polled; WeChat's browser handles fetch everywhere).
 * Decides by error code (api.js), speaks by phrase key (voice.js).
 * Kept to ES2017 syntax (no ?? or ?.): older WeChat in-app browsers lack them.
 */
import { api, Code } from "./api.js";
import { $, el, find, input } from "./dom.js";
import { checkDropoff } from "./dropoff-check.js";
import { phrase } from "./phrases.js";
import { prepare, speak, speakAgain } from "./voice.js";

/** How often the status is polled while the door is open, ms. */
const POLL_MS = 1500;
const FIELDS = ["matter", "phone", "pin", "pin2", "consent", "form"];

const token = decodeURIComponent(location.pathname.split("/").pop() || "");
/** @type {{caseId: string, caseNumber: string, compartment: number, state: string} | null} */
let caseInfo = null;
let helpPhone = "";

/** @param {string} field @param {string} text */
function setErr(field, text) {
  $("err-" + field).textContent = text;
  const box = find(field);
  if (box) box.setAttribute("aria-invalid", text ? "true" : "false");
}

/** @type {Record<string, [string, string]>} state → [title key, step key] */
const STATE_KEYS = {
  dropoff_pending: ["stPendingTitle", "stPending"],
  dropped_off: ["stDroppedTitle", "stDropped"],
  with_staff: ["stWithStaffTitle", "stWithStaff"],
  return_pending: ["stWithStaffTitle", "stWithStaff"],
  ready: ["stReadyTitle", "stReady"],
  collected: ["stCollectedTitle", "stCollected"],
  cancelled: ["stCancelledTitle", "stCancelled"],
};

/** Show and say a case's state. @param {{number: string, state: string, compartment?: number}} c */
function renderStatus(c) {
  const keys = STATE_KEYS[c.state] || ["stOtherTitle", "stOther"];
  const door = c.compartment !== undefined ? c.compartment : caseInfo ? caseInfo.compartment : 0;
  const vars = { door, caseNo: c.number };
  $("caseLine").textContent = phrase("caseNo", vars);
  $("doorLine").textContent = c.state === "dropoff_pending" ? phrase("doorNo", vars) : "";
  $("stateLine").textContent = phrase(keys[0], vars);
  $("stepLine").textContent = phrase(keys[1], vars);
  document.body.dataset.caseState = c.state;
  say(c.state === "dropoff_pending" ? ["stPendingTitle", "stPending", "caseNo"] : [keys[0], keys[1]], vars);
}

async function poll() {
  if (!caseInfo) return;
  const r = await api.caseStatus(caseInfo.caseId);
  if (r.ok && r.data.state !== caseInfo.state) {
    caseInfo.state = r.data.state;
    renderStatus(r.data);
  }
  if (!r.ok || r.data.state === "dropoff_pending") setTimeout(poll, POLL_MS);
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
  /** @type {Record<string, unknown>} */
  const body = { token, matter: v.matter, phone: v.phone, pin: v.pin, pinConfirm: v.pin2, consent: true };
  const name = input("name").value.trim();
  const note = input("note").value.trim();
  if (name) body.name = name;
  if (note) body.note = note;
  const r = await api.dropoff(body);
  btn.disabled = false;
  btn.textContent = phrase("submit");
  if (!r.ok) return void refused(r.error);
  caseInfo = { caseId: r.data.caseId, caseNumber: r.data.caseNumber, compartment: r.data.compartment, state: "dropoff_pending" };
  $("form").hidden = true;
  $("status").hidden = false;
  renderStatus({ number: r.data.caseNumber, state: "dropoff_pending", compartment: r.data.compartment });
  setTimeout(poll, POLL_MS);
}

/** Say why the server refused, by error code. @param {import("./api.js").ApiError} e */
function refused(e) {
  if (e.code === Code.TokenExpired || e.code === Code.TokenUsed || e.code === Code.TokenInvalid) return location.reload();
  if (e.code === Code.WeakPin) return showErr("pin", "errPinWeak");
  if (e.code === Code.NoFreeCompartment) {
    setErr("form", phrase("errFull") + (helpPhone ? " " + phrase("helpPhone", { helpPhone }) : ""));
    return void say(helpPhone ? ["errFull", "helpPhone"] : "errFull", { helpPhone });
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

async function start() {
  $("speak").addEventListener("click", () => ($("said").textContent = speakAgain()));
  const r = await api.dropoffInfo(token);
  if (!r.ok) {
    if (r.error.code === Code.Network) $("loading").textContent = phrase("errNetwork");
    else location.reload();
    return;
  }
  const info = r.data;
  helpPhone = info.helpPhone || "";
  $("displayName").textContent = info.displayName;
  const box = $("matters");
  info.matters.forEach((m, i) => box.appendChild(matterTile(m, i)));
  $("form").addEventListener("submit", submit);
  $("loading").hidden = true;
  $("form").hidden = false;
  document.body.dataset.ready = "1";
  prepare("formIntro");
}

void start();
