/**
 * The whole story in chromium against the real daemon (lead's harness: the
 * composition root over the board simulator, real SQLite, embedded broker):
 * a resident drops off on the phone page (WeChat mobile viewport) while the
 * kiosk announces the right door live; the simulated door closes and both
 * pages update; staff collect and return on the staff page; wrong PINs on the
 * kiosk keypad show the lockout; the right PIN opens the right door.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "../support/waitFor.js";
import { type LockerHarness, startLocker } from "../support/harness.js";
import { checkScreen, HAVE_CHROMIUM, launch, screenIs, watchErrors, WECHAT_UA } from "./support/browser.js";

let h: LockerHarness;
let browser: Browser;
beforeAll(async () => {
  h = await startLocker();
  if (HAVE_CHROMIUM) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const PHONE = "13912345678";

/** Wait for the daemon to see door n open (the simulated resident opens it), then close it. */
async function residentClosesDoor(n: number): Promise<void> {
  await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "open", `door ${n} seen open`);
  h.sim.board(1).closeDoor(n);
}

async function press(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.click(`.key[data-key="${d}"]`);
}

it.runIf(HAVE_CHROMIUM)(
  "drop-off on the phone, live door on the kiosk, staff collect and return, pickup on the kiosk keypad",
  async () => {
    // Kiosk.
    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const kioskErrors = watchErrors(kiosk);
    await kiosk.goto(`${h.kioskUrl}/kiosk`);
    await kiosk.waitForSelector('body[data-ready="1"][data-live="1"]');
    await screenIs(kiosk, "idle");

    // Resident scans the QR: WeChat's in-app browser on a phone.
    const state = (await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } };
    const dropPath = new URL(state.qr.url).pathname;
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const phone = await phoneCtx.newPage();
    const phoneErrors = watchErrors(phone);
    await phone.goto(h.baseUrl + dropPath);
    await phone.waitForSelector('body[data-ready="1"]');
    // Opening the link claimed it: the page now has its own form session and offers 存件 and 取件.
    expect(new URL(phone.url()).pathname).toMatch(/^\/f\/[A-Za-z0-9_-]{16,}$/);
    await checkScreen(phone, "resident-00-choice");
    await phone.click("#chooseDropoff");
    await checkScreen(phone, "resident-01-form");
    await phone.click("#m0");
    await phone.fill("#phone", PHONE);
    await phone.fill("#pin", "345678");
    await phone.fill("#pin2", "345678");
    await phone.click("#submit");
    expect(await phone.textContent("#err-pin")).toMatch(/密码太简单/);
    expect(await phone.textContent("#err-consent")).toMatch(/隐私说明/);
    await checkScreen(phone, "resident-02-errors");
    await phone.fill("#pin", "790413");
    await phone.fill("#pin2", "790413");
    await phone.click("details.more summary");
    await phone.fill("#name", "王阿姨");
    await phone.check("#consent");
    await phone.click("#submit");
    await phone.waitForSelector("#status:not([hidden])");
    const door = Number((await phone.textContent("#doorLine"))!.match(/(\d+)号门/)![1]);
    const caseNumber = (await phone.textContent("#caseLine"))!.replace("办件号 ", "");
    await checkScreen(phone, "resident-03-door-open");

    // The kiosk announces the same door, live.
    await screenIs(kiosk, "door");
    expect(await kiosk.textContent("#doorHeadline")).toBe(`${door}号门已打开`);
    expect(await kiosk.textContent(".door-cell.lit .door-no")).toBe(String(door));
    expect(await kiosk.textContent("#doorAction")).toMatch(/放进打开的/);
    await checkScreen(kiosk, "kiosk-20-dropoff-door-live", { touch: true });

    // The door closes: both pages update.
    await residentClosesDoor(door);
    await screenIs(kiosk, "done");
    await phone.waitForSelector('body[data-case-state="dropped_off"]', { timeout: 15_000 });
    expect(await phone.textContent("#stateLine")).toBe("已存好，谢谢！");
    await checkScreen(phone, "resident-04-stored");
    await checkScreen(kiosk, "kiosk-21-dropoff-thanks", { touch: true });

    // The used link now gets the friendly scan-again page.
    const again = await phone.goto(h.baseUrl + dropPath);
    expect(again!.status()).toBe(410);
    expect(await phone.textContent("body")).toMatch(/重新扫一扫/);
    await checkScreen(phone, "resident-05-scan-again");

    // Staff: sign in, collect the pouch, return the result, reset the PIN.
    const { code } = await h.daemon.staff.add("赵工");
    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const staffErrors = watchErrors(staff);
    await staff.goto(`${h.baseUrl}/staff`);
    await staff.waitForSelector('body[data-ready="1"]');
    await checkScreen(staff, "staff-01-sign-in");
    await staff.fill("#code", "12345678");
    await staff.click("#signin button");
    await staff.waitForFunction(() => document.querySelector("#signinErr")!.textContent !== "");
    await staff.fill("#code", code);
    await staff.click("#signin button");
    await staff.waitForSelector('body[data-signed-in="1"]');
    await staff.waitForSelector(`text=取走 collect ${caseNumber}`);
    await checkScreen(staff, "staff-02-cases");
    await staff.click(`text=取走 collect ${caseNumber}`);
    await staff.waitForSelector("text=门已打开");
    await residentClosesDoor(door);
    const caseId = h.daemon.locker.getCase(caseNumber).id;
    await waitFor(() => h.daemon.locker.getCase(caseId).state === "with_staff", "case with staff");
    await staff.click('button[data-state="with_staff"]');
    await staff.click(`text=放回 return ${caseNumber}`);
    const back = await waitFor(() => h.daemon.locker.getCase(caseId).compartment, "return compartment");
    await residentClosesDoor(back);
    await waitFor(() => h.daemon.locker.getCase(caseId).state === "ready", "case ready");
    await staff.click('button[data-state="ready"]');
    await staff.fill(`input[aria-label="新密码 new PIN ${caseNumber}"]`, "582046");
    await staff.click("text=重置密码 reset PIN");
    await staff.waitForSelector("text=密码已重置");
    await checkScreen(staff, "staff-03-ready-reset");
    const audit = h.daemon.locker.audit({ caseId, limit: 50 });
    expect(audit.filter((a) => a.actorKind === "staff").every((a) => a.actorName === "赵工")).toBe(true);
    expect(audit.filter((a) => a.actorKind === "staff").length).toBeGreaterThanOrEqual(3);

    // Pickup on the kiosk keypad: wrong PINs for a phone with no case end in the lockout message.
    await kiosk.click('.lang[data-lang="zh-CN"]');
    await screenIs(kiosk, "idle", 20_000);
    await kiosk.click("#collect");
    await press(kiosk, "13700001234");
    await kiosk.click("#entryOk");
    let message = "";
    for (let i = 0; i < 8 && !/尝试次数太多/.test(message); i++) {
      await press(kiosk, String(111111 + i * 111111).slice(0, 6));
      await kiosk.click("#entryOk");
      await kiosk.waitForFunction(() => document.body.dataset.screen === "entry" && !document.querySelector("#entryMsg")!.hasAttribute("hidden"));
      message = (await kiosk.textContent("#entryMsg"))!;
      if (i === 0) expect(message).toMatch(/手机号或密码不对/);
      // The wrong PIN that starts the lockout says so at once, and until when.
      if (i === h.config.pins.freeAttempts - 1) expect(message).toMatch(/已暂时锁定，请.*后（\d\d:\d\d UTC\+8以后）再试/);
    }
    expect(message).toMatch(/尝试次数太多，请.*后再试/);
    await checkScreen(kiosk, "kiosk-22-lockout-real", { touch: true });

    // The owner types the right phone and the new PIN: their door opens.
    await kiosk.click("#entryBack");
    await kiosk.click("#entryBack");
    await kiosk.click("#collect");
    await press(kiosk, PHONE);
    await kiosk.click("#entryOk");
    await press(kiosk, "582046");
    await kiosk.click("#entryOk");
    await screenIs(kiosk, "door");
    expect(await kiosk.textContent("#doorHeadline")).toBe(`${back}号门已打开`);
    expect(await kiosk.textContent("#doorAction")).toMatch(/取出材料/);
    await residentClosesDoor(back);
    await screenIs(kiosk, "done");
    await waitFor(() => h.daemon.locker.getCase(caseId).state === "collected", "case collected");
    expect(await kiosk.textContent("#doneText")).toMatch(/取件完成/);

    expect([...kioskErrors, ...phoneErrors, ...staffErrors]).toEqual([]);
  },
  180_000,
);
