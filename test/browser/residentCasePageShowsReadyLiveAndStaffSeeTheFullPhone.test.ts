/**
 * Issue 13, must-shows 3 and 4 in chromium on the real daemon: after a
 * drop-off the resident's phone page turns into the bookmarkable case link;
 * opened again from the bookmark it shows 已存好, and when staff return the
 * result it shows 可以取了 by itself (no reload). Staff see the full phone on
 * demand on the staff page, and the audit trail names who looked.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { checkScreen, launch, watchErrors, WECHAT_UA } from "./support/browser.js";

let h: LockerHarness;
let browser: Browser | undefined;
beforeAll(async () => {
  h = await startLocker({ config: { timeZone: "Asia/Shanghai" } });
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const PHONE = "13987654321";
const STAFF = { kind: "staff" as const, id: "s-test", name: "赵工", via: "staff-page" };

async function closeWhenOpen(n: number): Promise<void> {
  await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === n)?.door === "open", `door ${n} seen open`, 15_000);
  h.sim.board(1).closeDoor(n);
}

it("the bookmarked case page goes 已存好 → 可以取了 without a reload; staff see the full phone, audited by name", { timeout: 90_000 }, async () => {
  expect(browser, "chromium is needed (apt install chromium)").toBeDefined();
  const b = browser!;
  const state = (await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } };
  const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  // Drop-off on the phone page.
  const phone = await ctx.newPage();
  const phoneErrors = watchErrors(phone);
  await phone.goto(h.baseUrl + new URL(state.qr.url).pathname);
  await phone.waitForSelector('body[data-ready="1"]');
  // The scanned link offers 存件 and 取件 (a form session, issue 12).
  await phone.click("#chooseDropoff");
  await phone.click("#m0");
  await phone.fill("#phone", PHONE);
  await phone.fill("#pin", "790413");
  await phone.fill("#pin2", "790413");
  await phone.check("#consent");
  await phone.click("#submit");
  await phone.waitForSelector("#status:not([hidden])");
  // The address bar now holds the case link, and the page says it and how the resident is told.
  expect(new URL(phone.url()).pathname).toMatch(/^\/c\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}$/);
  expect(await phone.textContent("#caseLink")).toBe(`${h.config.publicBaseUrl}${new URL(phone.url()).pathname}`);
  expect(await phone.textContent("#noticeLine")).toContain("可以取了");
  const door = Number((await phone.textContent("#doorLine"))!.match(/(\d+)号门/)![1]);
  const caseNumber = (await phone.textContent("#caseLine"))!.replace("办件号 ", "");
  await closeWhenOpen(door);
  await phone.waitForSelector('body[data-case-state="dropped_off"]', { timeout: 15_000 });

  // Later: the resident opens the bookmark.
  const link = phone.url();
  const page = await ctx.newPage();
  const pageErrors = watchErrors(page);
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.goto(link);
  await page.waitForSelector('body[data-ready="1"]');
  expect(await page.textContent("#stateLine")).toBe("已存好，谢谢！");
  expect(await page.textContent("#caseLine")).toBe(`办件号 ${caseNumber}`);
  expect(await page.textContent("#matterLine")).toContain("139****4321");
  expect(await page.textContent("body")).not.toContain(PHONE);
  expect(await page.textContent("#noticeLine")).toMatch(/这个页面会显示“可以取了”.*本柜不会另发短信/);
  expect(await page.getAttribute('#steps li[aria-current="step"]', "aria-current")).toBe("step");
  expect(await page.textContent('#steps li[aria-current="step"]')).toContain("已存好");
  await checkScreen(page, "resident-10-case-stored");
  await page.evaluate("window.__sameDocument = true");

  // Staff page: the full phone on demand.
  const { code } = await h.daemon.staff.add("赵工");
  const staff = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const staffErrors = watchErrors(staff);
  await staff.goto(`${h.baseUrl}/staff`);
  await staff.waitForSelector('body[data-ready="1"]');
  await staff.fill("#code", code);
  await staff.click("#signin button");
  await staff.waitForSelector('body[data-signed-in="1"]');
  await staff.waitForSelector(`text=显示号码 show ${caseNumber}`);
  expect(await staff.textContent("#cases")).toContain("139****4321");
  expect(await staff.textContent("#cases")).not.toContain(PHONE);
  // Times are shown in the locker's zone, marked.
  expect(await staff.textContent("#cases")).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC\+8/);
  await staff.click(`text=显示号码 show ${caseNumber}`);
  const tel = await staff.waitForSelector(`a[data-full-phone="${caseNumber}"]`);
  expect(await tel.textContent()).toBe(PHONE);
  expect(await tel.getAttribute("href")).toBe(`tel:${PHONE}`);
  await checkScreen(staff, "staff-10-full-phone");
  const caseId = h.daemon.locker.getCase(caseNumber).id;
  const viewed = h.daemon.locker.audit({ caseId, limit: 100 }).filter((a) => a.action === "case.phone-viewed");
  expect(viewed).toHaveLength(1);
  expect(viewed[0]).toMatchObject({ actorKind: "staff", actorName: "赵工", via: "staff-page", outcome: "ok" });
  // Signed out, the phone endpoint refuses and nothing more is audited.
  const anon = await fetch(`${h.baseUrl}/api/staff/cases/${caseId}/phone`);
  expect(anon.status).toBe(401);
  expect(h.daemon.locker.audit({ caseId, limit: 100 }).filter((a) => a.action === "case.phone-viewed")).toHaveLength(1);

  // Staff collect and return: the bookmarked page shows 可以取了 by itself.
  const c = await h.daemon.locker.staffCollect(caseId, STAFF);
  await closeWhenOpen(c.compartment);
  await waitFor(() => h.daemon.locker.getCase(caseId).state === "with_staff", "with staff");
  await page.waitForSelector('body[data-case-state="with_staff"]', { timeout: 15_000 });
  expect(await page.textContent("#stateLine")).toBe("办理中");
  const r = await h.daemon.locker.staffReturn(caseId, STAFF);
  await closeWhenOpen(r.compartment);
  await page.waitForSelector('body[data-case-state="ready"]', { timeout: 15_000 });
  expect(await page.textContent("#stateLine")).toBe("可以取了");
  expect(await page.textContent("#stepLine")).toContain(`${r.compartment}号门`);
  expect(await page.textContent("#holdLine")).toMatch(/请在 \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8 前来取/);
  expect(await page.evaluate("window.__sameDocument === true")).toBe(true);
  expect(navigations).toBe(1);
  await checkScreen(page, "resident-11-case-ready");
  // The drop-off page the resident kept open followed too.
  await phone.waitForSelector('body[data-case-state="ready"]', { timeout: 15_000 });
  expect(await phone.textContent("#stateLine")).toBe("可以取了");

  // A guessed link (a real case id, a made-up mac) shows nothing about the case.
  const guess = await ctx.newPage();
  await guess.goto(`${h.baseUrl}/c/${caseId}.AAAAAAAAAAAAAAAAAAAAAA`);
  await guess.waitForSelector("#error:not(:empty)");
  expect(await guess.textContent("body")).not.toContain(caseNumber);

  expect([...phoneErrors, ...pageErrors, ...staffErrors]).toEqual([]);
});
