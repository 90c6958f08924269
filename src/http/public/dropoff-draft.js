// @ts-check
/**
 * What a resident typed on the drop-off form, kept in localStorage (never the
 * PIN) so a lapsed form session, a failed step or a new scan loses nothing.
 * Kept to ES2017 syntax (no ?? or ?.): older WeChat in-app browsers lack them.
 */
import { $, input } from "./dom.js";

const DRAFT = "lockerd-dropoff-draft";
/** A draft older than this is forgotten (someone else may be at the phone), ms. */
const DRAFT_KEEP_MS = 60 * 60 * 1000;

/** Keep what was typed (never the PIN) so a lapsed session or a new scan loses nothing. */
export function saveDraft() {
  try {
    const checked = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="matter"]:checked'));
    const draft = {
      matter: checked ? checked.value : "",
      phone: input("phone").value,
      name: input("name").value,
      note: input("note").value,
      consent: input("consent").checked,
      at: Date.now(),
    };
    localStorage.setItem(DRAFT, JSON.stringify(draft));
  } catch (e) {
    /* private mode: the fields on screen still keep it */
  }
}

/** @returns {boolean} whether a draft was put back */
export function restoreDraft() {
  /** @type {any} */
  let d = null;
  try {
    d = JSON.parse(localStorage.getItem(DRAFT) || "null");
  } catch (e) {
    d = null;
  }
  if (!d || !(Date.now() - d.at < DRAFT_KEEP_MS)) return false;
  const m = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="matter"][value="' + d.matter + '"]'));
  if (m) m.checked = true;
  input("phone").value = d.phone || "";
  input("name").value = d.name || "";
  input("note").value = d.note || "";
  input("consent").checked = !!d.consent;
  input("pphone").value = d.phone || "";
  if (d.name || d.note) /** @type {HTMLDetailsElement} */ ($("form").querySelector("details") || document.createElement("details")).open = true;
  return !!(d.matter || d.phone || d.name || d.note);
}

export function clearDraft() {
  try {
    localStorage.removeItem(DRAFT);
  } catch (e) {
    /* ignore */
  }
}
