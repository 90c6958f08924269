/**
 * Every kiosk screen at each display it is designed for — 1080×1920
 * portrait, 1280×800 and the Pi's 800×480 — in a real chromium: axe-core
 * finds no serious/critical violation, every key is at least 64×64 px and
 * inside the viewport (nothing scrolls), all text is at least 24 px, and a
 * screenshot of each lands in test-artifacts/screenshots/<size>/.
 * Driven over the LockerApi double (FakeLocker) with a help phone configured.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { checkKioskScreen, KIOSK_SIZES, HAVE_CHROMIUM, launch, screenIs, watchErrors } from "./support/browser.js";

const HELP = "0874-3126000";
let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp((c) => (c.helpPhone = HELP));
  await t.listen();
  // The kiosk page, its QR, stream and keypad are served only on the kiosk's own listener (issue 12).
  await t.listenKiosk();
  if (HAVE_CHROMIUM) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function press(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.click(`.key[data-key="${d}"]`);
}
async function msgShown(page: Page): Promise<string> {
  await page.waitForSelector("#entryMsg:not([hidden])");
  return (await page.textContent("#entryMsg"))!;
}

describe.each(KIOSK_SIZES.map((s, i) => ({ ...s, i })))("kiosk at $name", ({ name: size, width, height, i }) => {
  it.runIf(HAVE_CHROMIUM)(
    "every screen fits, is accessible, large and on screen",
    async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors = watchErrors(page);
      const check = (screen: string) => checkKioskScreen(page, size, screen);
      await page.goto(`${t.kioskUrl}/kiosk`);
      await page.waitForSelector('body[data-ready="1"][data-live="1"]');
      await screenIs(page, "idle");
      await check("01-idle");

      await page.click("#collect");
      await screenIs(page, "entry");
      await press(page, "1380013");
      await check("02-phone");
      await press(page, "800");
      await page.click("#entryOk");
      expect(await msgShown(page)).toMatch(/11位/);
      await check("03-phone-error");
      const phone = `1390000${String(i).padStart(4, "0")}`;
      await page.click('.key[data-key="clear"]');
      await press(page, phone);
      await page.click("#entryOk");
      await page.waitForFunction(() => !document.querySelector("#entryFor")!.hasAttribute("hidden"));
      expect(await page.textContent("#entryFor")).toBe(`手机号 ${phone.slice(0, 3)}****${phone.slice(7)}`);
      await press(page, "1111");
      await check("04-pin");
      await press(page, "11");
      await page.click("#entryOk");
      expect(await msgShown(page)).toMatch(/手机号或密码不对/);
      await check("05-wrong-pin");
      await press(page, "222222");
      await page.click("#entryOk");
      await page.waitForFunction(() => document.body.dataset.screen === "entry" && !document.querySelector("#entryMsg")!.hidden);
      await press(page, "333333");
      await page.click("#entryOk");
      await page.waitForFunction(() => /锁定/.test(document.querySelector("#entryMsg")!.textContent!));
      expect(await page.textContent("#entryMsg")).toContain(HELP);
      await check("06-lockout");

      // Two ready cases for one phone: both doors lit at once.
      const two = `1370000${String(i).padStart(4, "0")}`;
      t.locker.seedCase(two, "602817", "ready", 2);
      t.locker.seedCase(two, "602817", "ready", 6);
      let release!: () => void;
      t.locker.pickupGate = new Promise<void>((r) => (release = r));
      await page.click("#entryBack");
      await page.click("#entryBack");
      await screenIs(page, "idle");
      await page.click("#collect");
      await press(page, two);
      await page.click("#entryOk");
      await press(page, "602817");
      await page.click("#entryOk");
      await screenIs(page, "wait");
      await check("07-opening");
      t.locker.pickupGate = undefined;
      release();
      await page.waitForFunction(() => document.querySelectorAll(".door-cell.lit").length === 2);
      expect(await page.textContent("#doorHeadline")).toBe("2号和6号门已打开");
      await check("08-two-doors-open");
      t.locker.closeDoor(2);
      t.locker.closeDoor(6);
      await screenIs(page, "done");
      await check("09-thank-you");

      t.events.emit("doorPrompt", { compartment: 1, purpose: "dropoff", caseNumber: "A07", phase: "open" });
      await screenIs(page, "door");
      await check("10-dropoff-door-open");
      t.events.emit("doorPrompt", { compartment: 1, purpose: "dropoff", caseNumber: "A07", phase: "please-close" });
      t.events.emit("doorPrompt", { compartment: 1, purpose: "dropoff", caseNumber: "A07", phase: "please-close" });
      await page.waitForFunction(() => document.querySelector("#doorHeadline")!.textContent === "请关好1号门");
      await check("11-please-close");
      t.events.emit("doorPrompt", { compartment: 1, purpose: "dropoff", phase: "cancelled" });
      await screenIs(page, "notice");
      await check("12-cancelled");
      t.events.emit("doorPrompt", { compartment: 4, purpose: "pickup", phase: "fault" });
      await page.waitForFunction(() => document.querySelector("#notice-h")!.textContent === "柜门没能打开");
      expect(await page.textContent("#noticeHelp")).toContain(HELP);
      await check("13-door-fault");

      t.events.emit("boardOffline", { reason: "no reply" });
      await screenIs(page, "offline");
      expect(await page.textContent("#offlineHelp")).toContain(HELP);
      await check("14-out-of-service");
      t.events.emit("boardOnline");
      await screenIs(page, "idle");

      await page.click('.lang[data-lang="en"]');
      await check("15-idle-en");
      await page.click('.lang[data-lang="zh-TW"]');
      await check("16-idle-zh-TW");
      await page.click('.lang[data-lang="zh-CN"]');

      const { code } = await t.staff.add(`值班${i}`);
      t.locker.seedCase("13900002222", "480213", "dropped_off", 3);
      await page.click("#staffEnter");
      await press(page, "1234");
      await check("17-staff-code");
      await page.click('.key[data-key="clear"]');
      await press(page, code);
      await page.click("#entryOk");
      await screenIs(page, "staff");
      await page.waitForSelector("#staffCases button");
      await check("18-staff-mode");
      await page.click("#staffExit");
      await screenIs(page, "idle");
      expect(errors).toEqual([]);
      await page.close();
    },
    180_000,
  );
});
