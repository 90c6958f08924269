/**
 * Issue 9, item 6, in chromium against the real daemon on a small tmpfs: when
 * the disk fills up the kiosk switches to its out-of-service screen by itself
 * (pushed over SSE) with the help phone, a resident who scans the QR is told
 * on the phone that the locker is out of service (not "this code was used"),
 * and the kiosk is back once space is freed.
 */
import path from "node:path";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { startHarness, stopHarness, type LockerHarness } from "../support/harness.js";
import { mountTmpfs, type Tmpfs } from "../support/tmpfs.js";
import { requireMount } from "../support/tools.js";
import { HAVE_CHROMIUM, launch, screenIs, watchErrors, WECHAT_UA } from "./support/browser.js";

const HELP = "0571-8765 4321";
const mount = HAVE_CHROMIUM ? requireMount("the disk-full browser test") : undefined;
let h: LockerHarness | undefined;
let browser: Browser | undefined;
let disk: Tmpfs | undefined;
afterAll(async () => {
  await browser?.close();
  if (h) await stopHarness(h).catch(() => {});
  disk?.unmount();
});

describe.skipIf(!HAVE_CHROMIUM || !mount)("in chromium, with the data folder on a tmpfs", () => {
  it("the kiosk and the phone say out of service (with the help phone) while the disk is full, and the kiosk comes back", { timeout: 90_000 }, async () => {
    disk = mountTmpfs(mount!, "8m");
    const dataDir = path.join(disk.dir, "data");
    fs.mkdirSync(dataDir, { mode: 0o750 });
    h = await startHarness({ depth: "daemon", dataDir, config: { helpPhone: HELP } });
    browser = await launch();
    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(kiosk);
    await kiosk.goto(`${h.kioskUrl}/kiosk`);
    await kiosk.waitForSelector('body[data-ready="1"][data-live="1"]');
    await screenIs(kiosk, "idle");
    const link = (await (await fetch(`${h.kioskUrl}/kiosk/state`)).json()) as { qr: { url: string } };

    // The disk fills; the next write (a resident's scan claims its QR token) is refused.
    const filler = disk.fill();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    await phone.goto(`${h.baseUrl}${new URL(link.qr.url).pathname}`);
    await phone.waitForFunction(() => /暂停服务/.test(document.getElementById("loading")?.textContent ?? ""));
    const said = await phone.textContent("#loading");
    expect(said).toContain("设备存储出了问题");
    expect(said).toContain(HELP);

    await screenIs(kiosk, "offline", 10_000);
    expect(await kiosk.textContent("#offline-h")).toBe("暂停服务");
    expect(await kiosk.textContent("#offlineHelp")).toContain(HELP);

    fs.rmSync(filler);
    await screenIs(kiosk, "idle", 15_000);
    expect(errors).toEqual([]);
  });
});
