/**
 * The staff page's audit list (issue 11 item 4) in a real chromium: the newest
 * 50 entries first, "older entries" pages back from the smallest seq shown,
 * "newest" comes back; the buttons are disabled where there is nothing to page.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";
import { launch, watchErrors } from "./support/browser.js";

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp();
  await t.listen();
  browser = await launch();
  for (let i = 0; i < 130; i++) t.locker.recordAudit({ kind: "system", id: "t", via: "test" }, `entry-${i}`, "ok");
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

it("shows the newest audit entries first and pages back to older ones and forward to the newest", async () => {
  const { code } = await t.staff.add("李明");
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${t.baseUrl}/staff`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.fill("#code", code);
  await page.click("#signin button");
  await page.waitForSelector('body[data-signed-in="1"]');
  // The newest of the seeded entries on the page shown (sign-in may add rows of its own above them).
  const firstSeeded = () => page.evaluate(() => [...document.querySelectorAll("#audit tr td:nth-child(3)")].map((td) => td.textContent).find((a) => a?.startsWith("entry-")));
  const firstIs = (action: string) =>
    page.waitForFunction((a) => [...document.querySelectorAll("#audit tr td:nth-child(3)")].map((td) => td.textContent).find((x) => x?.startsWith("entry-")) === a, action, {
      timeout: 10_000,
    });

  await firstIs("entry-129").catch(async (e) => {
    throw new Error(`${e}; first rows: ${(await page.locator("#audit tr td:nth-child(3)").allTextContents()).slice(0, 5).join(", ")}`);
  });
  expect(await page.locator("#audit tr").count()).toBe(50);
  expect(await page.isDisabled("#auditNewest")).toBe(true);
  expect(await page.isDisabled("#auditOlder")).toBe(false);

  // The seeded entries on the page shown, as numbers (newest first).
  const seeded = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("#audit tr td:nth-child(3)")]
        .map((td) => td.textContent ?? "")
        .filter((a) => a.startsWith("entry-"))
        .map((a) => Number(a.slice(6))),
    );
  const p1 = await seeded();
  expect(p1).toEqual([...p1].sort((a, b) => b - a));
  await page.click("#auditOlder");
  await firstIs(`entry-${p1.at(-1)! - 1}`);
  expect(await page.isDisabled("#auditNewest")).toBe(false);
  const p2 = await seeded();
  expect(p2).toHaveLength(50);
  await page.click("#auditOlder");
  await firstIs(`entry-${p2.at(-1)! - 1}`);
  // The last page holds what is left: fewer than 50, down to the first entry, nothing older.
  expect(await page.locator("#audit tr").count()).toBeLessThan(50);
  expect((await seeded()).at(-1)).toBe(0);
  expect(await page.isDisabled("#auditOlder")).toBe(true);

  await page.click("#auditNewest");
  await firstIs("entry-129");
  expect(await firstSeeded()).toBe("entry-129");
  expect(errors).toEqual([]);
  await page.close();
});
