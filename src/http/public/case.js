// @ts-check
/**
 * The resident's bookmarked case page /c/<token>: asks /api/case-link/<token>
 * every few seconds and shows where the case is, without a reload; times in
 * the locker's zone, marked. Read aloud on request (a phone only speaks after
 * a tap), then on every change. Decides by error code (api.js), speaks by
 * phrase key (voice.js). Kept to ES2017 syntax (older WeChat in-app browsers).
 */
import { api, Code } from "./api.js";
import { $, el, replaceChildren } from "./dom.js";
import { CASE_STEP_COUNT, caseKeys, finished } from "./case-text.js";
import { localTime } from "./local-time.js";
import { phrase } from "./phrases.js";
import { prepare, speak, speakAgain } from "./voice.js";

/** How often the case is asked for, ms (a resident waits days; a few seconds is live enough). */
const POLL_MS = 3000;

const token = decodeURIComponent(location.pathname.split("/").pop() || "");
/** @type {import("./api.js").CaseLinkView | null} */
let last = null;
/** The resident has tapped read-aloud: changes are spoken from then on. */
let mayTalk = false;

/** Show a case; returns the phrase keys and values that say it. @param {import("./api.js").CaseLinkView} c */
function render(c) {
  const k = caseKeys(c.state);
  const vars = { door: c.compartment, caseNo: c.number, matter: c.matterLabel, phone: c.phone };
  $("caseLine").textContent = phrase("caseNo", vars);
  $("matterLine").textContent = phrase("caseMatter", vars);
  $("stateLine").textContent = phrase(k.title, vars);
  $("stepLine").textContent = phrase(k.sentence, vars);
  $("holdLine").textContent = c.holdUntil ? phrase("caseHold", { time: localTime(c.holdUntil, c.timeZone) }) : "";
  $("noticeLine").textContent = c.notice;
  $("updatedLine").textContent = phrase("caseUpdated", { time: localTime(c.updatedAt, c.timeZone) });
  const steps = [];
  for (let i = 0; i < CASE_STEP_COUNT; i++) {
    const done = i < k.step || (i === k.step && finished(c.state));
    const now = i === k.step && !done;
    const li = el("li", (done ? "✓ " : now ? "▶ " : "") + phrase("caseStep" + i) + (done ? phrase("caseStepDone") : now ? phrase("caseStepNow") : ""));
    if (i === k.step) li.setAttribute("aria-current", "step");
    steps.push(li);
  }
  replaceChildren($("steps"), steps);
  document.body.dataset.caseState = c.state;
  return { keys: ["caseNo", k.title, k.sentence], vars };
}

async function poll() {
  const r = await api.caseLink(token);
  if (!r.ok) {
    if (r.error.code === Code.CaseNotFound || r.error.code === Code.InvalidInput) {
      $("loading").hidden = true;
      $("error").textContent = phrase("caseLinkBad");
      return;
    }
    setTimeout(poll, POLL_MS);
    return;
  }
  const c = r.data;
  if (!last || last.state !== c.state || last.updatedAt !== c.updatedAt) {
    const said = render(c);
    if (last && mayTalk) $("said").textContent = speak(said.keys, said.vars);
    else prepare(said.keys, said.vars);
    last = c;
  }
  $("loading").hidden = true;
  $("case").hidden = false;
  document.body.dataset.ready = "1";
  if (!finished(c.state)) setTimeout(poll, POLL_MS);
}

$("speak").addEventListener("click", () => {
  mayTalk = true;
  $("said").textContent = speakAgain();
});
void poll();
