/**
 * The drop-off form on a phone (WeChat's in-app browser, 390×844), for
 * elderly hands (issue 14 item 4): matters as tiles with pictograms, the
 * whole form on one screen (name and note folded away), a read-aloud button
 * that says the form's instructions, and the case number shown at the end
 * without asking the resident to remember it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { checkScreen, HAVE_CHROMIUM, launch, watchErrors, WECHAT_UA } from "./support/browser.js";

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp();
  await t.listen();
  if (HAVE_CHROMIUM) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

it.runIf(HAVE_CHROMIUM)(
  "matters with pictograms, one screen, read aloud, the case number at the end",
  async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${t.baseUrl}/d/${t.locker.currentDropoffLink().token}`);
    await page.waitForSelector('body[data-ready="1"]');
    // The scanned link first offers 存件 and 取件 (a form session; issue 12): the resident picks 存件.
    await page.click("#chooseDropoff");

    // One tile per configured matter, each with its own pictogram and its Chinese label.
    const tiles = await page.$$eval(".tile", (els) =>
      els.map((e) => ({ icon: e.querySelector("use")!.getAttribute("href"), zh: e.querySelector(".tile-zh")!.firstChild!.textContent })),
    );
    expect(tiles).toEqual(t.config.matters.map((m) => ({ icon: `/assets/icons.svg#i-m-${m.icon ?? "document"}`, zh: m.label["zh-CN"] })));
    expect(new Set(tiles.map((x) => x.icon)).size).toBe(tiles.length);
    // Every tile is a large target.
    for (const box of await page.$$eval(".tile", (els) => els.map((e) => e.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(64);
    // The whole form, down to the submit button, is on the first screen.
    const submit = await page.$eval("#submit", (e) => e.getBoundingClientRect().bottom);
    expect(submit).toBeLessThanOrEqual(844);
    await checkScreen(page, "resident-06-one-screen-form");

    // Read aloud: the instructions, in words a screen reader also gets.
    await page.click("#speak");
    expect(await page.textContent("#said")).toBe("请选择办理的事项，填写手机号，设一个6位密码，然后点开门存件。");

    await page.click(".tile >> nth=2");
    expect(await page.isChecked("#m2")).toBe(true);
    await page.fill("#phone", "13700001234");
    await page.fill("#pin", "504918");
    await page.fill("#pin2", "504918");
    await page.check("#consent");
    await page.click("#submit");
    await page.waitForSelector("#status:not([hidden])");
    const caseNo = [...t.locker.cases.values()].at(-1)!.number;
    expect(await page.textContent("#caseLine")).toBe(`办件号 ${caseNo}`);
    expect(await page.textContent("#status")).toMatch(/不用记办件号/);
    expect(await page.textContent("#said")).toMatch(new RegExp(`柜门已打开.*办件号 ${caseNo}`));
    t.locker.closeDoor([...t.locker.cases.values()].at(-1)!.compartment!);
    await page.waitForSelector('body[data-case-state="dropped_off"]', { timeout: 15_000 });
    expect(await page.textContent("#caseLine")).toBe(`办件号 ${caseNo}`);
    await checkScreen(page, "resident-07-stored-case-number");
    expect(errors).toEqual([]);
    await ctx.close();
  },
  60_000,
);
