/**
 * The kiosk speaks with audio clips (issue 14 item 1, Must show 2), in a real
 * chromium started with the autostart script's own autoplay flag: the idle,
 * drop-off door-open, PIN, wrong PIN, lockout, pickup door-open and
 * out-of-service screens each request their clips from the daemon and play
 * them to the media `ended` event, the door number composed from a number
 * clip inside the sentence ("请从打开的" + "三" + "号门，然后关好门。"). A clip
 * that cannot play is reported to the daemon and logged, not swallowed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { HAVE_CHROMIUM, launch, screenIs } from "./support/browser.js";

const HELP = "0874-3126";
const HELP_CLIPS = ["num.0", "num.8", "num.7", "num.4", "num.3", "num.1", "num.2", "num.6"].map((c) => `zh-CN/${c}`);
/** The flag the kiosk autostart gives chromium so prompts play without a tap. */
const AUTOPLAY = /--autoplay-policy=\S+/.exec(fs.readFileSync("config/kiosk/lockerd-kiosk.sh", "utf8"))?.[0];

let t: TestApp;
let browser: Browser;
let recordings: string;
const requested: string[] = [];
beforeAll(async () => {
  recordings = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-recordings-"));
  t = await buildTestApp((c) => {
    c.helpPhone = HELP;
    c.kiosk.voice = { volume: 60, recordingsDir: recordings };
  });
  await t.listen();
  // The screen is served on the kiosk's own listener (voice failures are taken only from it); the phone on the public one.
  await t.listenKiosk();
  expect(AUTOPLAY).toBe("--autoplay-policy=no-user-gesture-required");
  if (HAVE_CHROMIUM) browser = await launch([AUTOPLAY!]);
});
afterAll(async () => {
  await browser?.close();
  await t.close();
  fs.rmSync(recordings, { recursive: true, force: true });
});

/** Every media event of the page, in order, with the clip it was for (`zh-CN/num.3`). */
const RECORD_MEDIA = `
  window.media = [];
  for (const type of ["play", "ended", "error"]) {
    document.addEventListener(type, (e) => {
      const el = e.target;
      if (el instanceof HTMLMediaElement) window.media.push({ type, clip: new URL(el.currentSrc || el.src).pathname.replace(/^\\/voice\\//, ""), volume: el.volume });
    }, true);
  }`;

async function kiosk(): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/voice/") && u.pathname !== "/voice/clips.json") requested.push(u.pathname.slice("/voice/".length));
  });
  await page.addInitScript(RECORD_MEDIA);
  await page.goto(`${t.kioskUrl}/kiosk`);
  await page.waitForSelector('body[data-ready="1"][data-live="1"]');
  return page;
}

type MediaEvent = { type: string; clip: string; volume: number };
const media = (page: Page) => page.evaluate("window.media") as Promise<MediaEvent[]>;
/** Start of a screen: events from here on are its own. */
async function mark(page: Page): Promise<number> {
  requested.length = 0;
  return (await media(page)).length;
}

/**
 * The screen's prompt plays `clips` in order, each to its `ended`, and each
 * was requested from the daemon.
 */
async function expectPlayed(page: Page, from: number, clips: string[], label: string): Promise<MediaEvent[]> {
  try {
    await page.waitForFunction(
      ([from, want]) => {
        const ended = (window as unknown as { media: MediaEvent[] }).media
          .slice(from as number)
          .filter((e) => e.type === "ended")
          .map((e) => e.clip);
        return ended.length >= (want as string[]).length;
      },
      [from, clips],
      { timeout: 45_000 },
    );
  } catch {
    // Fall through to the assertion below, which says what did play.
  }
  const events = (await media(page)).slice(from);
  expect(
    events.filter((e) => e.type === "ended").map((e) => e.clip),
    `${label}: clips played to the end`,
  ).toEqual(clips);
  expect(
    events.filter((e) => e.type === "error"),
    `${label}: media errors`,
  ).toEqual([]);
  for (const c of clips) expect(requested, `${label}: ${c} requested from the daemon`).toContain(c);
  return events;
}

const zh = (...ids: string[]) => ids.map((id) => `zh-CN/${id}`);

it.runIf(HAVE_CHROMIUM)(
  "idle, PIN, wrong PIN, lockout and pickup door-open each play their clips to the end, at the configured volume",
  async () => {
    const page = await kiosk();
    // Idle: spoken on arrival, with no tap (autostart's autoplay policy).
    await screenIs(page, "idle");
    const idle = await expectPlayed(page, 0, zh("sayIdle"), "idle");
    expect(
      idle.every((e) => Math.abs(e.volume - 0.6) < 0.01),
      "kiosk.voice.volume 60 → 0.6",
    ).toBe(true);

    // PIN screen.
    await page.click("#collect");
    for (const d of "13600003333") await page.click(`.key[data-key="${d}"]`);
    let m = await mark(page);
    await page.click("#entryOk");
    await screenIs(page, "entry");
    await expectPlayed(page, m, zh("sayPin"), "PIN");

    // Wrong PIN (first and second try).
    for (const pin of ["111111", "222222"]) {
      for (const d of pin) await page.click(`.key[data-key="${d}"]`);
      m = await mark(page);
      await page.click("#entryOk");
      await expectPlayed(page, m, zh("wrongPin"), `wrong PIN ${pin}`);
    }

    // The third wrong PIN locks the phone out: how long (1 minute), until when (shown with its zone mark, said without it), and the help phone.
    for (const d of "333333") await page.click(`.key[data-key="${d}"]`);
    m = await mark(page);
    await page.click("#entryOk");
    await page.waitForFunction(() => /锁定/.test(document.querySelector("#entryMsg")!.textContent!));
    const until = /（(\d\d):(\d\d) UTC[-+:\d]*以后）/.exec((await page.textContent("#entryMsg"))!)!;
    const [h, min] = [Number(until[1]), Number(until[2])];
    const hour = h < 10 ? [`num.${h}`] : h < 20 ? ["num.10", ...(h % 10 ? [`num.${h % 10}`] : [])] : [`num.${Math.floor(h / 10)}`, "num.10", ...(h % 10 ? [`num.${h % 10}`] : [])];
    const minute =
      min === 0
        ? []
        : min < 10
          ? ["num.0", `num.${min}`, "time.m"]
          : [...(min >= 20 ? [`num.${Math.floor(min / 10)}`] : []), "num.10", ...(min % 10 ? [`num.${min % 10}`] : []), "time.m"];
    await expectPlayed(page, m, [...zh("lockedNow.1", "num.1", "unit.min", "lockedNow.2", ...hour, "time.h", ...minute, "lockedNow.3", "helpPhone"), ...HELP_CLIPS], "lockout");

    // Pickup door-open: "3号门已打开" + "请从打开的3号门取出材料…", the 3 a number clip.
    t.locker.seedCase("13600004444", "730146", "ready", 3);
    await page.click("#entryBack");
    await page.click("#entryBack");
    await screenIs(page, "idle");
    await page.click("#collect");
    for (const d of "13600004444") await page.click(`.key[data-key="${d}"]`);
    await page.click("#entryOk");
    for (const d of "730146") await page.click(`.key[data-key="${d}"]`);
    m = await mark(page);
    await page.click("#entryOk");
    await screenIs(page, "door");
    await expectPlayed(page, m, zh("num.3", "doorOpen", "doorTake.1", "num.3", "doorTake.2"), "pickup door open");
    t.locker.closeDoor(3);
    await page.close();
    expect(t.logLines.filter((l) => l.includes("could not play"))).toEqual([]);
  },
  240_000,
);

it.runIf(HAVE_CHROMIUM)(
  "the drop-off door-open and out-of-service screens play their clips; English is spoken in English",
  async () => {
    const page = await kiosk();
    await screenIs(page, "idle");
    // A drop-off from the phone opened door 2: the kiosk names the door (composed) and what to do.
    let m = await mark(page);
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A27", phase: "open" });
    await screenIs(page, "door");
    await expectPlayed(page, m, zh("num.2", "doorOpen", "doorPut.1", "num.2", "doorPut.2"), "drop-off door open");
    t.events.emit("doorPrompt", { compartment: 2, purpose: "dropoff", caseNumber: "A27", phase: "closed" });
    await screenIs(page, "done");
    await screenIs(page, "idle", 20_000);

    m = await mark(page);
    t.events.emit("boardOffline", { reason: "no reply" });
    await screenIs(page, "offline");
    await expectPlayed(page, m, [...zh("offlineTitle", "offlineText", "helpPhone"), ...HELP_CLIPS], "out of service");
    t.events.emit("boardOnline");
    await screenIs(page, "idle");

    m = await mark(page);
    await page.click('.lang[data-lang="en"]');
    await expectPlayed(page, m, ["en/sayIdle"], "idle in English");
    await page.close();
    expect(t.logLines.filter((l) => l.includes("could not play"))).toEqual([]);
  },
  240_000,
);

it.runIf(HAVE_CHROMIUM)(
  "a centre recording replaces its clip; one that cannot play is reported to the daemon and logged",
  async () => {
    // The centre's own "sayPin" (here: another clip's audio) and a broken "wrongPin".
    fs.mkdirSync(path.join(recordings, "zh-CN"), { recursive: true });
    fs.copyFileSync("src/http/public/voice/zh-CN/csCollected.ogg", path.join(recordings, "zh-CN", "sayPin.ogg"));
    fs.writeFileSync(path.join(recordings, "zh-CN", "wrongPin.wav"), "not audio at all");
    const page = await kiosk();
    await screenIs(page, "idle");
    await page.click("#collect");
    for (const d of "13600005555") await page.click(`.key[data-key="${d}"]`);
    await page.click("#entryOk");
    await page.waitForFunction(() => (window as unknown as { media: MediaEvent[] }).media.some((e) => e.type === "ended" && e.clip === "zh-CN/sayPin"));
    const pin = await page.request.get(`${t.kioskUrl}/voice/zh-CN/sayPin`);
    expect(Buffer.compare(await pin.body(), fs.readFileSync("src/http/public/voice/zh-CN/csCollected.ogg"))).toBe(0);

    for (const d of "111111") await page.click(`.key[data-key="${d}"]`);
    await page.click("#entryOk");
    await page.waitForFunction(() => document.body.dataset.voiceFailed === "zh-CN/wrongPin");
    await expect.poll(() => t.logLines.find((l) => l.includes("could not play")), { timeout: 10_000 }).toBeTruthy();
    const line = JSON.parse(t.logLines.find((l) => l.includes("could not play"))!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, ns: "voice", clip: "zh-CN/wrongPin", keys: ["wrongPin"] });
    expect(String(line.reason)).toMatch(/MediaError|NotSupported/);
    await page.close();
  },
  120_000,
);

it.runIf(HAVE_CHROMIUM)(
  "staff mode plays a test clip on request, and says on screen when it did not play",
  async () => {
    const { code } = await t.staff.add("赵工");
    const page = await kiosk();
    await screenIs(page, "idle");
    await page.click("#staffEnter");
    for (const d of code) await page.click(`.key[data-key="${d}"]`);
    await page.click("#entryOk");
    await screenIs(page, "staff");
    const test = page.getByRole("button", { name: "试听声音" });
    let m = await mark(page);
    await test.click();
    await expectPlayed(page, m, zh("sayVoiceTest"), "voice test");
    expect(await page.isHidden("#staffMsg")).toBe(true);
    // A broken recording of the test clip: the button says so (and the daemon logged why).
    fs.mkdirSync(path.join(recordings, "zh-CN"), { recursive: true });
    fs.writeFileSync(path.join(recordings, "zh-CN", "sayVoiceTest.ogg"), "broken");
    m = await mark(page);
    await test.click();
    await page.waitForSelector("#staffMsg:not([hidden])");
    expect(await page.textContent("#staffMsg")).toBe("声音没能播放，已记在日志里。请检查音箱和音量。");
    await expect.poll(() => t.logLines.some((l) => l.includes('"clip":"zh-CN/sayVoiceTest"') && l.includes("could not play")), { timeout: 10_000 }).toBe(true);
    await page.click("#staffExit");
    await page.close();
  },
  120_000,
);

it.runIf(HAVE_CHROMIUM)(
  "the phone page's read-aloud button plays the form's clip at the phone's own volume",
  async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    phone.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/voice/") && u.pathname !== "/voice/clips.json") requested.push(u.pathname.slice("/voice/".length));
    });
    await phone.addInitScript(RECORD_MEDIA);
    await phone.goto(`${t.baseUrl}/d/${t.locker.currentDropoffLink().token}`);
    await phone.waitForSelector('body[data-ready="1"]');
    expect(await media(phone)).toEqual([]); // a page that just opened does not start talking
    const m = await mark(phone);
    await phone.tap("#speak");
    const played = await expectPlayed(phone, m, zh("formIntro"), "phone read-aloud");
    expect(played.every((e) => e.volume === 1)).toBe(true);
    await ctx.close();
  },
  60_000,
);
