// @ts-check
/**
 * The drawing of the locker's front on the kiosk: doors placed by row and
 * column from config, the open doors lit and labelled, so a resident who
 * cannot read still finds the right door.
 */
import { el } from "./dom.js";
import { phrase } from "./phrases.js";

/** @typedef {import("./api.js").Compartment} Compartment */

/**
 * Draw the front into `front` with the doors in `lit` highlighted.
 * @param {HTMLElement} front
 * @param {{rows: number, columns: number, compartments: Compartment[]}} layout
 * @param {number[]} lit
 */
export function renderFront(front, layout, lit) {
  front.textContent = "";
  front.style.gridTemplateColumns = `repeat(${layout.columns}, 1fr)`;
  front.style.gridTemplateRows = `repeat(${layout.rows}, 1fr)`;
  for (const c of layout.compartments) {
    const on = lit.indexOf(c.number) >= 0;
    const d = el("div", null, { class: "door-cell" + (on ? " lit" : "") });
    d.style.gridRow = String(c.row);
    d.style.gridColumn = String(c.column);
    d.appendChild(el("span", c.number, { class: "door-no" }));
    if (on) d.appendChild(el("span", phrase("opened"), { class: "door-here" }));
    front.appendChild(d);
  }
  front.setAttribute("aria-label", lit.length > 1 ? phrase("doorsOpen", { doors: lit }) : lit.length ? phrase("doorOpen", { door: lit[0] }) : "locker");
}
