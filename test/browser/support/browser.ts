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

/** Launch Debian's chromium (call only when HAVE_CHROMIUM). */
export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`browser tests need ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
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
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
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
