/**
 * Every kiosk screen, in a real chromium at the kiosk's 1280×800: axe-core
 * finds no serious/critical violation, every control is at least 64×64 px,
 * the words change with the language, and a screenshot of each is kept.
 * Driven over a LockerApi double; the real-daemon flow is in
 * dropoffAndPickupOnRealDaemon.test.ts.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";
import { checkScreen, HAVE_CHROMIUM, launch, screenIs, watchErrors } from "./support/browser.js";

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp();
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

it.runIf(HAVE_CHROMIUM)(
  "walks every kiosk screen: accessible, large, spoken, in three languages",
  async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${t.kioskUrl}/kiosk`);
    await page.waitForSelector('body[data-ready="1"][data-live="1"]');
    await screenIs(page, "idle");
    expect(await page.locator("#qr svg").count()).toBe(1);
    expect(await page.textContent("#live")).toMatch(/扫屏幕上的二维码/);
    await checkScreen(page, "kiosk-01-idle", { touch: true });

    // The QR changes live when the service rotates it.
    const before = await page.innerHTML("#qr");
    t.locker.rotate();
    await page.waitForFunction((b) => document.querySelector("#qr")!.innerHTML !== b, before);

    await page.click("#collect");
    await screenIs(page, "entry");
    await checkScreen(page, "kiosk-02-phone", { touch: true });
    await press(page, "1390000111");
    await page.click("#entryOk");
    expect(await page.textContent("#entryMsg")).toMatch(/11位/);
    await checkScreen(page, "kiosk-03-phone-error", { touch: true });
    await press(page, "1");
    await page.click("#entryOk");
    expect(await page.textContent("#entry-h")).toMatch(/6位取件密码/);
    await press(page, "111111");
    await checkScreen(page, "kiosk-04-pin", { touch: true });
    await page.click("#entryOk");
    await page.waitForSelector("#entryMsg:not([hidden])");
    expect(await page.textContent("#entryMsg")).toMatch(/手机号或密码不对/);
    await checkScreen(page, "kiosk-05-wrong-pin", { touch: true });
    for (const pin of ["222222", "333333", "444444"]) {
      await press(page, pin);
      await page.click("#entryOk");
      await page.waitForFunction(() => !document.querySelector("#entryMsg")!.hasAttribute("hidden"));
    }
    expect(await page.textContent("#entryMsg")).toMatch(/尝试次数太多，请1分钟后再试/);
    await checkScreen(page, "kiosk-06-lockout", { touch: true });

    // The right PIN: "opening…" while the lock is pulsed, then the door screen.
    t.locker.resetPin(t.locker.seedCase("13900005555", "527913", "ready", 5).id, "527913", { kind: "system", id: "test", via: "test" });
    let release!: () => void;
    t.locker.pickupGate = new Promise<void>((r) => (release = r));
    await page.click("#entryBack");
    await page.click("#entryBack");
    await page.click("#collect");
    await press(page, "13900005555");
    await page.click("#entryOk");
    await press(page, "527913");
    await page.click("#entryOk");
    await screenIs(page, "wait");
    await checkScreen(page, "kiosk-06b-opening", { touch: true });
    t.locker.pickupGate = undefined;
    release();
    await screenIs(page, "door");
    expect(await page.textContent("#doorHeadline")).toBe("5号门已打开");

    // Door prompts pushed by the daemon.
    t.events.emit("doorPrompt", { compartment: 5, purpose: "pickup", caseNumber: "B12", phase: "open" });
    await screenIs(page, "door");
    expect(await page.textContent("#doorHeadline")).toBe("5号门已打开");
    expect(await page.locator(".door-cell.lit").count()).toBe(1);
    expect(await page.textContent(".door-cell.lit .door-no")).toBe("5");
    // Door 5 sits at row 2, column 2 of the drawing.
    expect(
      await page.evaluate(() => {
        const s = (document.querySelector(".door-cell.lit") as HTMLElement).style;
        return [s.gridRow, s.gridColumn];
      }),
    ).toEqual(["2", "2"]);
    await checkScreen(page, "kiosk-07-door-open", { touch: true });
    // First please-close = the door was seen open: still "door 5 is open"; the next one = left open too long.
    t.events.emit("doorPrompt", { compartment: 5, purpose: "pickup", caseNumber: "B12", phase: "please-close" });
    await page.waitForTimeout(200);
    expect(await page.textContent("#doorHeadline")).toBe("5号门已打开");
    t.events.emit("doorPrompt", { compartment: 5, purpose: "pickup", caseNumber: "B12", phase: "please-close" });
    await page.waitForFunction(() => document.querySelector("#doorHeadline")!.textContent === "请关好5号门");
    await checkScreen(page, "kiosk-08-please-close", { touch: true });
    t.events.emit("doorPrompt", { compartment: 5, purpose: "pickup", caseNumber: "B12", phase: "closed" });
    await screenIs(page, "done");
    expect(await page.textContent("#doneText")).toMatch(/取件完成/);
    await checkScreen(page, "kiosk-09-thank-you", { touch: true });
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", phase: "cancelled" });
    await screenIs(page, "notice");
    await checkScreen(page, "kiosk-10-cancelled", { touch: true });

    t.events.emit("doorPrompt", { compartment: 4, purpose: "pickup", phase: "fault" });
    await page.waitForFunction(() => document.querySelector("#notice-h")!.textContent === "柜门没能打开");
    await checkScreen(page, "kiosk-10b-door-fault", { touch: true });

    // Board offline → out of service; back online → QR again.
    t.events.emit("boardOffline", { reason: "no reply" });
    await screenIs(page, "offline");
    await checkScreen(page, "kiosk-11-out-of-service", { touch: true });
    t.events.emit("boardOnline");
    await screenIs(page, "idle");

    // Languages: Traditional Chinese and English.
    await page.click('.lang[data-lang="zh-TW"]');
    expect(await page.textContent("#collect .big-word")).toBe("取件");
    expect(await page.textContent(".qr-card .hint")).toBe("用微信掃一掃上面的二維碼");
    expect(await page.getAttribute("html", "lang")).toBe("zh-TW");
    await checkScreen(page, "kiosk-12-idle-zh-TW", { touch: true });
    await page.click('.lang[data-lang="en"]');
    expect(await page.textContent("#collect .big-word")).toBe("Collect");
    await checkScreen(page, "kiosk-13-idle-en", { touch: true });
    await page.click('.lang[data-lang="zh-CN"]');

    // Staff mode behind a staff code.
    const { code } = await t.staff.add("赵工");
    t.locker.seedCase("13900002222", "480213", "dropped_off", 3);
    await page.click("#staffEnter");
    expect(await page.textContent("#entry-h")).toMatch(/8位员工码/);
    await checkScreen(page, "kiosk-14-staff-code", { touch: true });
    await press(page, code);
    await page.click("#entryOk");
    await screenIs(page, "staff");
    await page.waitForSelector("#staffCases button");
    expect(await page.textContent("#staffName")).toBe("赵工");
    await checkScreen(page, "kiosk-15-staff-mode", { touch: true });
    await page.click("#staffCases button");
    await screenIs(page, "door");
    expect(t.locker.audits.at(-1)).toMatchObject({ action: "staff-collect", actor: { kind: "staff", name: "赵工", via: "kiosk" } });
    await page.click("#speak");
    expect(errors).toEqual([]);
    await page.close();
  },
  120_000,
);

it.runIf(HAVE_CHROMIUM)(
  "goes back to the QR screen after the idle timeout",
  async () => {
    await t.close();
    t = await buildTestApp((c) => (c.kiosk.idleTimeoutMs = 1500));
    await t.listenKiosk();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.kioskUrl}/kiosk`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.click("#collect");
    await screenIs(page, "entry");
    await screenIs(page, "idle", 20_000);
    await page.close();
  },
  60_000,
);
