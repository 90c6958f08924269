// @ts-check
/**
 * The staff page redraws its tables on every live update; this keeps what
 * staff were typing there (a new PIN, a reason) and the cursor across it.
 */
import { all } from "./dom.js";

/**
 * Note what staff have typed in the tables (a new PIN, a reason) and where the
 * cursor is; the returned function puts it back after a redraw, so a live
 * reload never wipes half-typed input.
 */
export function keepTyped() {
  /** @type {Record<string, string>} */
  const values = {};
  const inputs = () => /** @type {HTMLInputElement[]} */ (all("#cases input, #doors input"));
  inputs().forEach((i) => {
    if (i.value) values[i.getAttribute("aria-label") || ""] = i.value;
  });
  const active = document.activeElement;
  const focused = active instanceof HTMLInputElement ? active.getAttribute("aria-label") : null;
  return () =>
    inputs().forEach((i) => {
      const key = i.getAttribute("aria-label") || "";
      if (values[key] !== undefined) i.value = values[key];
      if (focused && key === focused) i.focus();
    });
}
