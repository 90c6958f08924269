/**
 * Issue 12, must-show 4, in chromium against the real daemon: opening the
 * kiosk's link gives the resident's form its own session (15 min by
 * default) while the QR token itself lives two minutes. The daemon's clock
 * and the page's clock are both under the test's control (OffsetClock,
 * Playwright's page.clock): a resident who waits five minutes still submits;
 * one whose session lapsed is told what to do, keeps everything typed (not
 * the PIN), and after scanning again finds the form filled in.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { OffsetClock } from "../helpers/offsetClock.js";
import { checkScreen, HAVE_CHROMIUM, launch, watchErrors, WECHAT_UA } from "./support/browser.js";

const MIN = 60_000;
let h: LockerHarness;
let browser: Browser;
const clock = new OffsetClock();
beforeAll(async () => {
  h = await startLocker({ clock, config: { rules: { tokenTtlMs: 120_000, qrRotateMs: 60_000 } } });
  if (HAVE_CHROMIUM) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function scan(): Promise<string> {
  const state = (await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } };
  return new URL(state.qr.url).pathname;
}

async function openPhone(): Promise<Page> {
  const ctx = await browser!.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await page.clock.install();
  return page;
}

/** Both clocks jump: the daemon's and the page's. */
async function wait(page: Page, ms: number): Promise<void> {
  clock.advance(ms);
  await page.clock.fastForward(ms);
}

async function fillForm(page: Page, phone: string): Promise<void> {
  await page.click("#m0");
  await page.fill("#phone", phone);
  await page.click("details.more summary");
  await page.fill("#name", "李奶奶");
  await page.fill("#note", "孙子的出生证明");
  await page.check("#consent");
  await page.fill("#pin", "790413");
  await page.fill("#pin2", "790413");
}

it.runIf(HAVE_CHROMIUM)(
  "a resident who takes five minutes over the form still drops off (the two-minute QR token alone would have expired)",
  async () => {
    const page = await openPhone();
    const errors = watchErrors(page);
    await page.goto(h.baseUrl + (await scan()));
    await page.waitForSelector('body[data-ready="1"]');
    await page.click("#chooseDropoff");
    await fillForm(page, "13912340011");
    await wait(page, 5 * MIN);
    // Ten minutes left: no countdown to hurry anyone.
    expect(await page.isHidden("#timeLeft")).toBe(true);
    await page.click("#submit");
    await page.waitForSelector("#status:not([hidden])", { timeout: 15_000 });
    const door = Number((await page.textContent("#doorLine"))!.match(/(\d+)号门/)![1]);
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === door)?.door === "open", `door ${door} open`, 15_000);
    h.sim.board(1).closeDoor(door);
    await page.waitForSelector('body[data-case-state="dropped_off"]', { timeout: 15_000 });
    expect(errors).toEqual([]);
  },
  90_000,
);

it.runIf(HAVE_CHROMIUM)(
  "a resident whose session lapsed keeps what they typed, is told to scan again, and finds the form filled in after scanning",
  async () => {
    const page = await openPhone();
    const errors = watchErrors(page);
    await page.goto(h.baseUrl + (await scan()));
    await page.waitForSelector('body[data-ready="1"]');
    await page.click("#chooseDropoff");
    await fillForm(page, "13912340012");

    // Under two minutes left: the time shows, in words.
    await wait(page, 13.5 * MIN);
    await page.waitForSelector("#timeLeft:not([hidden])");
    expect(await page.textContent("#timeLeft")).toMatch(/还剩 1 分 \d+ 秒/);
    await checkScreen(page, "resident-06-time-short");

    // It lapses while they look for their glasses; they press submit anyway.
    await wait(page, 2 * MIN);
    await page.click("#submit");
    await page.waitForSelector("#lapsed:not([hidden])");
    expect(await page.textContent("#lapsed")).toMatch(/您填写的内容还在/);
    expect(await page.textContent("#lapsed")).toMatch(/重新扫一扫/);
    expect(await page.isHidden("#status")).toBe(true);
    expect(await page.inputValue("#phone")).toBe("13912340012");
    expect(await page.inputValue("#name")).toBe("李奶奶");
    expect(await page.inputValue("#note")).toBe("孙子的出生证明");
    await checkScreen(page, "resident-07-session-lapsed");
    // The server says the same, with a code to map.
    const session = new URL(page.url()).pathname.split("/").pop()!;
    const r = await fetch(`${h.baseUrl}/api/sessions/${session}`);
    expect(r.status).toBe(410);
    expect(await r.json()).toMatchObject({ code: 331, error: "Locker_FormSessionExpired" });

    // Back at the locker, a new scan: the form comes back filled in (the PIN is never kept).
    await page.goto(h.baseUrl + (await scan()));
    await page.waitForSelector('body[data-ready="1"]');
    await page.waitForSelector("#form:not([hidden])");
    expect(await page.inputValue("#phone")).toBe("13912340012");
    expect(await page.inputValue("#name")).toBe("李奶奶");
    expect(await page.isChecked("#m0")).toBe(true);
    expect(await page.isChecked("#consent")).toBe(true);
    expect(await page.inputValue("#pin")).toBe("");
    await page.fill("#pin", "790413");
    await page.fill("#pin2", "790413");
    await page.click("#submit");
    await page.waitForSelector("#status:not([hidden])", { timeout: 15_000 });
    const door = Number((await page.textContent("#doorLine"))!.match(/(\d+)号门/)![1]);
    await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === door)?.door === "open", `door ${door} open`, 15_000);
    h.sim.board(1).closeDoor(door);
    expect(errors).toEqual([]);
  },
  120_000,
);
