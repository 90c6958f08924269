/**
 * The drop-off form and the kiosk keypad refuse exactly what the server
 * refuses: every one of the 10⁶ six-digit PINs (for two phones) and a table
 * of phone numbers. The page side runs in real chromium as the pages run it
 * (the form's own check module, loaded from the page's origin with the rule
 * modules the server serves; the kiosk keypad pressed key by key); the server
 * side is the core's assertPinAcceptable and validateDropoff and the HTTP
 * route's schema.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { isLockerError } from "../../src/errors/LockerError.js";
import { assertPinAcceptable } from "../../src/locker/pins.js";
import { validateDropoff } from "../../src/locker/validate.js";
import { buildTestApp, type TestApp } from "../http/support/buildTestApp.js";
import { HAVE_CHROMIUM, launch, screenIs } from "../browser/support/browser.js";

let t: TestApp;
let browser: Browser;
let form: Page;
beforeAll(async () => {
  t = await buildTestApp();
  await t.listen();
  if (!HAVE_CHROMIUM) return;
  browser = await launch();
  form = await browser.newPage();
  await form.goto(`${t.baseUrl}/d/${t.locker.currentDropoffLink().token}`);
  await form.waitForSelector('body[data-ready="1"]');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

/** A phone whose last six digits are an ordinary PIN, and one whose tail is itself a weak PIN. */
const PIN_PHONES = ["13905172846", "13800123456"];

/** Numbers the kiosk keypad can type (digits, at most 11), and other strings only a form field can hold. */
const KEYPAD_PHONES = [
  "13800138000",
  "19912345678",
  "14700000000",
  "16612345678",
  "17012345678",
  "15000000000",
  "18999999999",
  "12345678901",
  "10012345678",
  "11912345678",
  "1380013800",
  "23800138000",
  "03800138000",
  "1",
];
const OTHER_PHONES = [
  "138001380001",
  "",
  " 13800138000",
  "13800138000 ",
  "+8613800138000",
  "138-0013-8000",
  "1380013800a",
  "１３８００１３８０００",
  "138 0013 8000",
  "13800138000\n",
];

function serverRefusesPin(pin: string, phone: string): boolean {
  try {
    assertPinAcceptable(pin, phone);
    return false;
  } catch (err) {
    if (!isLockerError(err)) throw err;
    return true;
  }
}

/** The core's drop-off validation, on a request that is valid but for the phone. */
function coreRefusesPhone(phone: string): boolean {
  const config = defaultConfig();
  try {
    validateDropoff({ token: "tok000001abcdef", matter: config.matters[0]!.id, phone, pin: "582046", consent: true }, config);
    return false;
  } catch (err) {
    if (!isLockerError(err)) throw err;
    return err.context.field === "phone";
  }
}

/** The HTTP API's verdict: a pickup with this phone is refused as invalid input on field "phone". */
async function routeRefusesPhone(phone: string): Promise<boolean> {
  const r = await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone, pin: "582046" } });
  const body = r.json() as { code: number; field?: string };
  return r.statusCode === 400 && body.field === "phone";
}

it.runIf(HAVE_CHROMIUM)(
  "the drop-off form refuses exactly the PINs the server refuses, all 10⁶ of them",
  async () => {
    for (const phone of PIN_PHONES) {
      const pageRefused = (await form.evaluate(
        `import("/assets/dropoff-check.js").then((m) => {
        const out = [];
        for (let i = 0; i < 1000000; i++) { const pin = String(i).padStart(6, "0"); if (m.formRefusesPin(pin, ${JSON.stringify(phone)})) out.push(pin); }
        return out;
      })`,
      )) as string[];
      const serverRefused: string[] = [];
      for (let i = 0; i < 1_000_000; i++) {
        const pin = String(i).padStart(6, "0");
        if (serverRefusesPin(pin, phone)) serverRefused.push(pin);
      }
      const pageSet = new Set(pageRefused);
      const serverSet = new Set(serverRefused);
      const onlyPage = pageRefused.filter((p) => !serverSet.has(p));
      const onlyServer = serverRefused.filter((p) => !pageSet.has(p));
      expect({ phone, onlyPage: onlyPage.slice(0, 20), onlyServer: onlyServer.slice(0, 20), counts: [onlyPage.length, onlyServer.length] }).toEqual({
        phone,
        onlyPage: [],
        onlyServer: [],
        counts: [0, 0],
      });
      // Honest bounds: the rule refuses some but far from all.
      expect(serverRefused.length).toBeGreaterThan(100);
      expect(serverRefused.length).toBeLessThan(10_000);
    }
  },
  120_000,
);

it.runIf(HAVE_CHROMIUM)(
  "the drop-off form, the kiosk keypad, the HTTP API and the core agree on a table of phone numbers",
  async () => {
    const all = [...KEYPAD_PHONES, ...OTHER_PHONES];
    const pageVerdicts = (await form.evaluate(`import("/assets/dropoff-check.js").then((m) => ${JSON.stringify(all)}.map((p) => m.formRefusesPhone(p)))`)) as boolean[];
    const rows = [];
    for (const [i, phone] of all.entries()) rows.push({ phone, form: pageVerdicts[i], api: await routeRefusesPhone(phone), core: coreRefusesPhone(phone) });
    for (const r of rows)
      expect({ phone: r.phone, form: r.form, core: r.core }, `form vs core for ${JSON.stringify(r.phone)}`).toEqual({ phone: r.phone, form: r.api, core: r.api });
    // The table holds both verdicts.
    expect(rows.filter((r) => r.api).length).toBeGreaterThan(5);
    expect(rows.filter((r) => !r.api).length).toBeGreaterThan(5);

    // The kiosk keypad: type each number, press Next; refused numbers stay on the phone screen with a message.
    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await kiosk.goto(`${t.baseUrl}/kiosk`);
    await kiosk.waitForSelector('body[data-ready="1"]');
    await screenIs(kiosk, "idle");
    for (const phone of KEYPAD_PHONES) {
      await kiosk.click("#collect");
      await screenIs(kiosk, "entry");
      await kiosk.evaluate((digits) => {
        for (const d of digits) (document.querySelector(`.key[data-key="${d}"]`) as HTMLElement).click();
      }, phone);
      await kiosk.click("#entryOk");
      const refused = await kiosk.evaluate(() => !document.querySelector("#entryMsg")!.hasAttribute("hidden"));
      expect(refused, `kiosk keypad on ${phone}`).toBe(rows.find((r) => r.phone === phone)!.api);
      await kiosk.click("#entryBack");
      if (!refused) await kiosk.click("#entryBack");
      await screenIs(kiosk, "idle");
    }
    await kiosk.close();
  },
  120_000,
);
