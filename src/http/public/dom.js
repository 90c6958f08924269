// @ts-check
/**
 * The small DOM helpers every page uses (instead of each page's own `$`).
 * Kept to ES2017 syntax like the phone pages that import it.
 */

/**
 * The element with this id; throws when the page lacks it (a broken page
 * should fail loudly in the tests, not half-work on the locker).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page has no #${id}`);
  return e;
}

/**
 * The element with this id, or null when the page has none (optional parts).
 * @param {string} id
 * @returns {HTMLElement | null}
 */
export function find(id) {
  return document.getElementById(id);
}

/**
 * An input/select/textarea by id.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
export function input(id) {
  return /** @type {HTMLInputElement} */ ($(id));
}

/**
 * A new element with text and attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string | number | null} [text]
 * @param {Record<string, string>} [attrs]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  Object.keys(attrs || {}).forEach((k) => e.setAttribute(k, (attrs || {})[k] || ""));
  return e;
}

/**
 * A button that runs `fn` when pressed.
 * @param {string} label
 * @param {() => void} fn
 * @param {string} [className]
 * @returns {HTMLButtonElement}
 */
export function button(label, fn, className) {
  const b = el("button", label, { type: "button" });
  if (className) b.className = className;
  b.addEventListener("click", fn);
  return b;
}

/**
 * Every element matching `selector` (as an array of HTMLElements).
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement[]}
 */
export function all(selector, root) {
  return /** @type {HTMLElement[]} */ (Array.from((root || document).querySelectorAll(selector)));
}

/**
 * Replace an element's children.
 * @param {HTMLElement} parent
 * @param {Node[]} children
 */
export function replaceChildren(parent, children) {
  parent.textContent = "";
  children.forEach((c) => parent.appendChild(c));
}
