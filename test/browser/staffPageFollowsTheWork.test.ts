/**
 * The staff page follows the work (issue 14 item 5), in a real chromium over
 * the LockerApi double: the default view lists the open cases with the next
 * action in the same row (return next to an in-progress case), matters by
 * their Chinese label, times in local time; it updates by itself when a case
 * or a door changes; actions on a door are disabled while it is open; the
 * doors table shows what item sensors see.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { checkScreen, HAVE_CHROMIUM, launch, watchErrors } from "./support/browser.js";

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
  "next action per case, Chinese matters, local times, live updates, actions wait for an open door",
  async () => {
    const dropped = t.locker.seedCase("13900001111", "480213", "dropped_off", 3);
    const working = t.locker.seedCase("13900002222", "480213", "with_staff", 4);
    t.locker.cases.get(working.id)!.matter = "elderly-allowance";
    const { code } = await t.staff.add("赵工");
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${t.baseUrl}/staff`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.fill("#code", code);
    await page.click("#signin button");
    await page.waitForSelector('body[data-signed-in="1"][data-live="1"]');
    await page.waitForSelector(`tr[data-case="${working.number}"]`);

    // The in-progress case has its return button in its own row, on the default view.
    const row = page.locator(`tr[data-case="${working.number}"]`);
    expect(await row.locator("td.next button").first().textContent()).toBe(`放回 return ${working.number}`);
    expect(await page.locator(`tr[data-case="${dropped.number}"] td.next button`).first().textContent()).toBe(`取走 collect ${dropped.number}`);
    // Matter by its Chinese label; time in the locker's zone (UTC+8 here), marked, not UTC ISO.
    const texts = await row.locator("td").allTextContents();
    expect(texts).toContain("高龄补贴");
    expect(texts.join(" ")).not.toMatch(/elderly-allowance|\dT\d|Z$/);
    const at = new Date(Date.parse(working.updatedAt) + 8 * 3_600_000).toISOString();
    expect(texts).toContain(`${at.slice(0, 10)} ${at.slice(11, 16)} UTC+8`);
    await checkScreen(page, "staff-04-to-do");

    // Live: a case that changes elsewhere shows up without a click.
    const fresh = t.locker.seedCase("13900003333", "480213", "dropped_off", 5);
    t.events.emit("caseChanged", { caseId: fresh.id, caseNumber: fresh.number, state: "dropped_off" });
    await page.waitForSelector(`tr[data-case="${fresh.number}"]`, { timeout: 5000 });

    // Collect: door 3 opens, so that case's actions and door 3's buttons wait until it closes.
    await page.click(`text=取走 collect ${dropped.number}`);
    await page.waitForFunction((n) => document.querySelector(`tr[data-case="${n}"] td.next button`)?.hasAttribute("disabled"), dropped.number);
    expect(await page.textContent(`tr[data-case="${dropped.number}"] td.next`)).toMatch(/3号门开着/);
    expect(await page.isDisabled('tr[data-door="3"] button >> nth=0')).toBe(true);
    expect(await page.isDisabled('tr[data-door="4"] button >> nth=0')).toBe(false);
    await checkScreen(page, "staff-05-door-open");
    t.locker.closeDoor(3);
    await page.waitForFunction((n) => {
      const b = document.querySelector(`tr[data-case="${n}"] td.next button`);
      return b && !b.hasAttribute("disabled");
    }, dropped.number);
    expect(await page.textContent(`tr[data-case="${dropped.number}"] td.next button`)).toBe(`放回 return ${dropped.number}`);
    expect(await page.isDisabled('tr[data-door="3"] button >> nth=0')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  },
  60_000,
);

it("the live stream is for signed-in staff only", async () => {
  const r = await fetch(`${t.baseUrl}/api/staff/events`);
  expect(r.status).toBe(401);
  expect(((await r.json()) as { code: number }).code).toBe(315);
  const m = await fetch(`${t.baseUrl}/api/staff/matters`);
  expect(m.status).toBe(401);
});

it.runIf(HAVE_CHROMIUM)(
  "the doors table says what the item sensors see: 有物品 item inside, 空 empty, nothing on boards without them",
  async () => {
    // Boards with item sensors (Kerong infrared) report `occupied`; other boards leave it out.
    t.locker.comps[0]!.occupied = true;
    t.locker.comps[1]!.occupied = false;
    delete t.locker.comps[5]!.occupied;
    const { code } = await t.staff.add("钱工");
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.baseUrl}/staff`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.fill("#code", code);
    await page.click("#signin button");
    await page.waitForSelector('tr[data-door="6"]');
    const door = async (n: number) => (await page.locator(`tr[data-door="${n}"] td`).nth(2).textContent())!;
    expect(await door(1)).toMatch(/有物品 item inside$/);
    expect(await door(2)).toMatch(/空 empty$/);
    expect(await door(6)).not.toMatch(/有物品|空/);
    await page.close();
  },
  60_000,
);
