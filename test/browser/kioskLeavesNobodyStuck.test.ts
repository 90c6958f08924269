/**
 * Nobody is left stuck at the kiosk (issue 14 item 3), in a real chromium
 * over the LockerApi double: after a flow and after the idle timeout the
 * kiosk is back on the idle screen, in Chinese, with nothing typed left; the
 * wrong PIN that starts a lockout says so and until when; two ready cases
 * light both doors at once and are named together; lockout, out-of-service
 * and "locker full" show the centre's help phone; a pickup from the idle
 * screen takes at most 20 touches; on boards with item sensors, a drop-off
 * closed empty asks for the pouch and a pouch left behind says staff know.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { checkScreen, HAVE_CHROMIUM, launch, screenIs, watchErrors, WECHAT_UA } from "./support/browser.js";

const HELP = "0874-3126000";
let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp((c) => {
    c.helpPhone = HELP;
    c.kiosk.idleTimeoutMs = 2000;
  });
  await t.listen();
  // The kiosk page, its QR, stream and keypad are served only on the kiosk's own listener (issue 12).
  await t.listenKiosk();
  if (HAVE_CHROMIUM) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function kiosk(): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${t.kioskUrl}/kiosk`);
  await page.waitForSelector('body[data-ready="1"][data-live="1"]');
  await screenIs(page, "idle");
  return page;
}
async function press(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.click(`.key[data-key="${d}"]`);
}
/** The idle screen in Chinese, and a fresh phone screen with nothing typed. */
async function expectFreshIdle(page: Page): Promise<void> {
  await screenIs(page, "idle", 20_000);
  expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
  expect(await page.textContent("#collect .big-word")).toBe("取件");
  expect(await page.getAttribute('.lang[data-lang="zh-CN"]', "aria-pressed")).toBe("true");
  await page.click("#collect");
  await screenIs(page, "entry");
  expect((await page.textContent("#entryValue"))!.trim()).toBe("");
  expect(await page.isHidden("#entryMsg")).toBe(true);
  expect(await page.textContent("#entry-h")).toBe("请输入手机号");
  await page.click("#entryBack");
}

it.runIf(HAVE_CHROMIUM)(
  "after a pickup in English the kiosk is back on the idle screen, in Chinese, with nothing typed",
  async () => {
    const page = await kiosk();
    const errors = watchErrors(page);
    t.locker.seedCase("13600001111", "602817", "ready", 4);
    await page.click('.lang[data-lang="en"]');
    await page.click("#collect");
    await press(page, "13600001111");
    await page.click("#entryOk");
    await press(page, "602817");
    await page.click("#entryOk");
    await screenIs(page, "door");
    expect(await page.textContent("#doorHeadline")).toBe("Door 4 is open");
    t.locker.closeDoor(4);
    await screenIs(page, "done");
    expect(await page.textContent("#doneText")).toMatch(/take your papers/);
    await expectFreshIdle(page);
    expect(errors).toEqual([]);
    await page.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "after the idle timeout, half-way through typing in English, the kiosk is back in Chinese with nothing typed",
  async () => {
    const page = await kiosk();
    await page.click('.lang[data-lang="en"]');
    await page.click("#collect");
    await press(page, "13600");
    expect((await page.textContent("#entryValue"))!.replace(/\s/g, "")).toBe("13600");
    await expectFreshIdle(page);
    // And from the PIN screen with a wrong-PIN message showing.
    await page.click('.lang[data-lang="zh-TW"]');
    await page.click("#collect");
    await press(page, "13600002222");
    await page.click("#entryOk");
    await press(page, "111111");
    await page.click("#entryOk");
    await page.waitForSelector("#entryMsg:not([hidden])");
    await expectFreshIdle(page);
    await page.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "the wrong PIN that starts a lockout says so, until when, and the help phone — on screen and spoken",
  async () => {
    const page = await kiosk();
    await page.click("#collect");
    await press(page, "13600003333");
    await page.click("#entryOk");
    for (const [i, pin] of ["111111", "222222", "333333"].entries()) {
      await press(page, pin);
      await page.click("#entryOk");
      await page.waitForFunction(() => document.body.dataset.screen === "entry" && !document.querySelector("#entryMsg")!.hidden);
      const msg = (await page.textContent("#entryMsg"))!;
      if (i < 2) {
        expect(msg).toMatch(/手机号或密码不对，请再试一次/);
        continue;
      }
      // The third wrong PIN locks the phone out: no "try again" but the lockout, with the time it ends in the locker's zone, marked.
      expect(msg).not.toMatch(/请再试一次/);
      expect(msg).toMatch(/已暂时锁定，请1分钟后（\d\d:\d\d UTC\+8以后）再试/);
      const until = msg.match(/（(\d\d):(\d\d) UTC\+8以后）/)!;
      const end = new Date(Date.now() + 60_000 + 8 * 3_600_000); // Asia/Shanghai, the config's zone
      const minutesOff = (Number(until[1]) * 60 + Number(until[2]) - (end.getUTCHours() * 60 + end.getUTCMinutes()) + 1440) % 1440;
      expect([1439, 0, 1], "within a minute of now + 1 min in UTC+8").toContain(minutesOff);
      expect(msg).toContain(`需要帮助，请打电话 ${HELP}`);
      expect(await page.textContent("#live")).toBe(msg.replace(/^⚠/, ""));
    }
    // The next try, while locked out, says so too.
    await press(page, "444444");
    await page.click("#entryOk");
    await page.waitForFunction(() => /尝试次数太多/.test(document.querySelector("#entryMsg")!.textContent!));
    expect(await page.textContent("#entryMsg")).toContain(HELP);
    await page.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "two ready cases for one phone open and light both doors at once, named together",
  async () => {
    const page = await kiosk();
    t.locker.seedCase("13600004444", "730146", "ready", 1);
    t.locker.seedCase("13600004444", "730146", "ready", 5);
    await page.click("#collect");
    await press(page, "13600004444");
    await page.click("#entryOk");
    await press(page, "730146");
    await page.click("#entryOk");
    await page.waitForFunction(() => document.querySelectorAll(".door-cell.lit").length === 2);
    expect(await page.$$eval(".door-cell.lit .door-no", (els) => els.map((e) => e.textContent))).toEqual(["1", "5"]);
    expect(await page.textContent("#doorHeadline")).toBe("1号和5号门已打开");
    expect(await page.textContent("#live")).toMatch(/1号和5号门已打开.*请从打开的1号和5号门都取出来/);
    // One door closed: the other stays lit until it is closed too.
    t.locker.closeDoor(1);
    await page.waitForFunction(() => document.querySelectorAll(".door-cell.lit").length === 1);
    expect(await page.textContent("#doorHeadline")).toBe("5号门已打开");
    t.locker.closeDoor(5);
    await screenIs(page, "done");
    await page.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "out of service, the locker-full kiosk and the locker-full answer on the phone show and say the help phone",
  async () => {
    const page = await kiosk();
    t.events.emit("boardOffline", { reason: "no reply" });
    await screenIs(page, "offline");
    expect(await page.textContent("#offlineHelp")).toBe(`需要帮助，请打电话 ${HELP}`);
    expect(await page.textContent("#live")).toContain(HELP);
    t.events.emit("boardOnline");
    await screenIs(page, "idle");
    await page.close();

    // Every compartment holds a case: the kiosk's QR card says the locker is full, with the help phone...
    const idle = await kiosk();
    for (const c of t.locker.comps) if (c.status === "free") t.locker.seedCase("13600005555", "730146", "dropped_off", c.number);
    t.events.emit("compartmentsChanged", t.locker.compartments());
    await idle.waitForSelector("#fullNote:not([hidden])");
    expect(await idle.textContent("#fullNote")).toBe(`柜子已满，暂时不能存件。工作人员已收到通知。 需要帮助，请打电话 ${HELP}`);
    expect(await idle.isHidden("#qr")).toBe(true);
    await checkScreen(idle, "kiosk-23-locker-full", { touch: true });
    await idle.close();
    // ...and a drop-off started on the phone anyway is refused with the help phone.
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECHAT_UA, isMobile: true, hasTouch: true });
    const phone = await phoneCtx.newPage();
    await phone.goto(`${t.baseUrl}/d/${t.locker.currentDropoffLink().token}`);
    await phone.waitForSelector('body[data-ready="1"]');
    await phone.click("#chooseDropoff");
    await phone.click("#m0");
    await phone.fill("#phone", "13600006666");
    await phone.fill("#pin", "730146");
    await phone.fill("#pin2", "730146");
    await phone.check("#consent");
    await phone.click("#submit");
    await phone.waitForFunction(() => document.querySelector("#err-form")!.textContent !== "");
    expect(await phone.textContent("#err-form")).toMatch(new RegExp(`柜子已满.*${HELP}`));
    await phoneCtx.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "a pickup takes at most 20 touches from the idle screen",
  async () => {
    const page = await kiosk();
    t.locker.seedCase("13600007777", "580314", "ready", 3);
    await page.evaluate(() => {
      (window as unknown as { touches: number }).touches = 0;
      document.addEventListener("pointerdown", () => (window as unknown as { touches: number }).touches++, { capture: true });
    });
    await page.click("#collect");
    await press(page, "13600007777");
    await page.click("#entryOk");
    await press(page, "580314");
    await page.click("#entryOk");
    await screenIs(page, "door");
    expect(await page.textContent("#doorHeadline")).toBe("3号门已打开");
    const touches = await page.evaluate(() => (window as unknown as { touches: number }).touches);
    console.log(`pickup from the idle screen: ${touches} touches`);
    expect(touches).toBeLessThanOrEqual(20);
    t.locker.closeDoor(3);
    await page.close();
  },
  60_000,
);

it.runIf(HAVE_CHROMIUM)(
  "a drop-off closed on an empty compartment asks for the pouch, and a pouch left behind says staff were told — on screen and spoken",
  async () => {
    const page = await kiosk();
    const errors = watchErrors(page);
    // The prompts a board with item sensors makes the core send (OccupancyRules): the door opened for the drop-off...
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A07", phase: "open" });
    await screenIs(page, "door");
    expect(await page.textContent("#doorHeadline")).toBe("2号门已打开");
    // ...closed on an empty compartment: opened once more, the kiosk asks for the pouch.
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A07", phase: "put-pouch-in" });
    await page.waitForFunction(() => document.querySelector("#doorHeadline")!.textContent === "2号门里还是空的");
    expect(await page.textContent("#doorAction")).toBe("2号门已重新打开，请把材料袋放进去，再关好门。不放的话，这次存件会取消。");
    expect(await page.textContent("#live")).toContain("请把材料袋放进去");
    expect(await page.textContent("#doorCase")).toContain("A07");
    // The same words in the other languages.
    await page.click('.lang[data-lang="en"]');
    expect(await page.textContent("#doorHeadline")).toBe("Door 2 is still empty");
    expect(await page.textContent("#doorAction")).toMatch(/put the pouch in, then close the door.*cancelled/);
    await page.click('.lang[data-lang="zh-TW"]');
    expect(await page.textContent("#doorHeadline")).toBe("2號門裡還是空的");
    // Left open too long after the reopening (the second "please-close"), it asks plainly to close; closed with the pouch inside, thanks.
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A07", phase: "please-close" });
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A07", phase: "please-close" });
    await page.waitForFunction(() => document.querySelector("#doorHeadline")!.textContent === "請關好2號門");
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A07", phase: "closed" });
    await screenIs(page, "done");

    // A pickup closed with something still inside: the kiosk says so (with the help phone) instead of "thank you".
    t.events.emit("doorPrompt", { compartment: 4, purpose: "pickup", caseNumber: "A08", phase: "open" });
    await screenIs(page, "door");
    t.events.emit("doorPrompt", { compartment: 4, purpose: "pickup", caseNumber: "A08", phase: "left-behind" });
    await screenIs(page, "notice");
    await page.click('.lang[data-lang="zh-CN"]');
    expect(await page.textContent("#notice-h")).toBe("4号门里还有东西");
    expect(await page.textContent("#noticeText")).toContain("工作人员已收到通知");
    expect(await page.textContent("#noticeHelp")).toBe(`需要帮助，请打电话 ${HELP}`);
    expect(await page.textContent("#live")).toMatch(/4号门里还有东西.*工作人员已收到通知/);
    await expectFreshIdle(page);
    expect(errors).toEqual([]);
    await page.close();
  },
  60_000,
);
