// @ts-check
/**
 * Staff mode on the kiosk screen (after an 8-digit staff code): the pouches
 * to take out and the results to put back, and a button per door. Every
 * action goes through the staff API, which audits it as done "via kiosk".
 */
import { api, Code } from "./api.js";
import { $, button, el, replaceChildren } from "./dom.js";
import { phrase } from "./phrases.js";
import { played, speak } from "./voice.js";

/** @typedef {import("./api.js").Compartment} Compartment */
/** @typedef {import("./api.js").ApiError} ApiError */

/**
 * Fill the staff screen's lists.
 * @param {Compartment[]} compartments
 * @param {{signedOut: () => void, said: (text: string) => void}} on
 */
export async function renderStaff(compartments, on) {
  const [a, b] = await Promise.all([api.staffCases("dropped_off"), api.staffCases("with_staff")]);
  if ((!a.ok && a.error.code === Code.Unauthorized) || (!b.ok && b.error.code === Code.Unauthorized)) return on.signedOut();
  const cases = [
    ...(a.ok ? a.data : []).map((c) => ({ c, act: /** @type {const} */ ("collect") })),
    ...(b.ok ? b.data : []).map((c) => ({ c, act: /** @type {const} */ ("return") })),
  ];
  const list = cases.map(({ c, act: what }) =>
    button(
      what === "collect" ? phrase("collectCase", { caseNo: c.number, door: c.compartment }) : phrase("returnCase", { caseNo: c.number }),
      () => act(what === "collect" ? () => api.staffCollect(c.id) : () => api.staffReturn(c.id), on),
      "nav-btn",
    ),
  );
  replaceChildren($("staffCases"), list.length ? list : [el("p", phrase("noCases"), { class: "instruction" })]);
  replaceChildren(
    $("staffDoors"),
    compartments
      .map((c) => button(phrase("openDoor", { door: c.number }), () => act(() => api.staffOpen(c.number, phrase("staffReason")), on), "nav-btn"))
      .concat(button(phrase("voiceTest"), () => testVoice(on), "nav-btn")),
  );
}

/**
 * @param {() => Promise<import("./api.js").ApiResult<unknown>>} call
 * @param {{signedOut: () => void, said: (text: string) => void}} on
 */
async function act(call, on) {
  const r = await call();
  const m = $("staffMsg");
  if (r.ok) {
    m.hidden = true;
    return;
  }
  if (r.error.code === Code.Unauthorized) return on.signedOut();
  m.hidden = false;
  m.textContent = r.error.message || phrase("error");
  on.said(m.textContent);
}

/**
 * Staff mode's voice test: say a test clip at the configured volume, then
 * say on screen when it did not play (the daemon has logged why).
 * @param {{said: (text: string) => void}} on
 */
async function testVoice(on) {
  const m = $("staffMsg");
  m.hidden = true;
  on.said(speak("sayVoiceTest"));
  if (await played()) return;
  m.hidden = false;
  m.textContent = phrase("voiceBroken");
  on.said(m.textContent);
}
