/**
 * Debian's chromium driven by playwright-core (never a downloaded browser),
 * plus the checks every screen gets: axe-core (no serious or critical
 * violation), every visible kiosk control at least 64×64 px, a screenshot
 * under test-artifacts/screenshots/, and no CSP or script errors.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { requireTool } from "../../support/tools.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("test-artifacts/screenshots");
const AXE = fs.readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Whether the browser tests can run: gate them with `it.runIf(HAVE_CHROMIUM)`.
 * Missing chromium is a printed skip on a laptop and a failure under CI.
 */
export const HAVE_CHROMIUM = requireTool("chromium", "the browser tests") && fs.existsSync(CHROMIUM);

/** Launch Debian's chromium (call only when HAVE_CHROMIUM). `extraArgs`: more chromium flags. */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`browser tests need ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
}

/** Collect console errors (CSP violations show up there) for a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/favicon|speechSynthesis|Failed to load resource: the server responded with a status of 4\d\d/i.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

/** Run axe-core in the page; fail on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.evaluate(AXE);
  const result = (await page.evaluate(
    "window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })",
  )) as { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> };
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
  expect(bad).toEqual([]);
}

/** Every visible button on the page is at least `min`×`min` CSS px. */
export async function expectTouchTargets(page: Page, label: string, min = 64): Promise<void> {
  const small = (await page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll("button, a[href], input, select, textarea")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < ${min} || r.height < ${min}) out.push((el.id || el.textContent.trim().slice(0, 20) || el.tagName) + " " + Math.round(r.width) + "x" + Math.round(r.height));
    }
    return out;
  })()`)) as string[];
  expect(small, `${label}: controls smaller than ${min}px`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Full check of one screen: a11y, (kiosk) touch targets, screenshot. */
export async function checkScreen(page: Page, name: string, opts: { touch?: boolean } = {}): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page, name);
  if (opts.touch) await expectTouchTargets(page, name);
}

export async function screenIs(page: Page, screen: string, timeout = 15_000): Promise<void> {
  await page.waitForSelector(`body[data-screen="${screen}"]`, { timeout });
}

/** WeChat's in-app browser on Android (user agent as WeChat sends it). */
export const WECHAT_UA =
  "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F51) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";

/** The kiosk displays the screens are designed for (issue 14). */
export const KIOSK_SIZES = [
  { name: "1080x1920", width: 1080, height: 1920 },
  { name: "1280x800", width: 1280, height: 800 },
  { name: "800x480", width: 800, height: 480 },
] as const;

/**
 * Every visible control lies inside the viewport and the page does not
 * scroll. A control inside a `[data-scroll]` list counts when the list
 * itself is on screen (staff mode's lists scroll by design).
 */
export async function expectKeysOnScreen(page: Page, label: string): Promise<void> {
  const off = (await page.evaluate(`(() => {
    const out = [];
    const vw = innerWidth, vh = innerHeight;
    const inside = (r) => r.left >= -0.5 && r.top >= -0.5 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5;
    const se = document.scrollingElement;
    if (se.scrollHeight > vh + 1 || se.scrollWidth > vw + 1) out.push("page scrolls: " + se.scrollWidth + "x" + se.scrollHeight);
    for (const el of document.querySelectorAll("button, a[href], input, select, textarea, [data-scroll]")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const list = el.parentElement && el.parentElement.closest("[data-scroll]");
      const box = list ? list.getBoundingClientRect() : r;
      if (!inside(box)) out.push((el.id || el.textContent.trim().slice(0, 20) || el.tagName) + " at " + [r.left, r.top, r.right, r.bottom].map(Math.round).join(","));
    }
    return out;
  })()`)) as string[];
  expect(off, `${label}: controls off screen in ${page.viewportSize()?.width}x${page.viewportSize()?.height}`).toEqual([]);
}

/** Every visible piece of text on the page is at least `min` CSS px (the kiosk's floor). */
export async function expectTextAtLeast(page: Page, label: string, min = 24): Promise<void> {
  const small = (await page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const el = n.parentElement;
      if (!el || el.closest(".sr-only, svg, [hidden]")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < ${min}) out.push(n.textContent.trim().slice(0, 20) + " " + px + "px");
    }
    return out;
  })()`)) as string[];
  expect(small, `${label}: text smaller than ${min}px`).toEqual([]);
}

/** The full kiosk check at one display size: screenshot under `<size>/`, axe, 64 px targets, keys on screen, text ≥ 24 px. */
export async function checkKioskScreen(page: Page, size: string, name: string): Promise<void> {
  await screenshot(page, `${size}/${name}`);
  await expectAccessible(page, `${size} ${name}`);
  await expectTouchTargets(page, `${size} ${name}`);
  await expectKeysOnScreen(page, `${size} ${name}`);
  await expectTextAtLeast(page, `${size} ${name}`);
}
