/**
 * Real daemon over the simulator: when the board stops answering, the kiosk
 * switches to "out of service" by itself (pushed over SSE), /readyz says why,
 * and both recover when the board answers again.
 */
import { describe, expect } from "vitest";
import { waitFor } from "../support/waitFor.js";
import { lockerTest } from "../support/harness.js";
import { checkScreen, HAVE_CHROMIUM, launch, screenIs, watchErrors } from "./support/browser.js";

// Not re-indented: the one-commit format run after the merges does that.
describe.skipIf(!HAVE_CHROMIUM)("in chromium", () => {
  lockerTest(
    "the kiosk shows out-of-service while the board is silent and the QR again once it answers",
    {
      testBody: async (h) => {
        const browser = await launch();
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
          const errors = watchErrors(page);
          await page.goto(`${h.kioskUrl}/kiosk`);
          await page.waitForSelector('body[data-ready="1"][data-live="1"]');
          await screenIs(page, "idle");

          h.sim.inject({ kind: "ignore", count: 1_000_000 });
          await screenIs(page, "offline", 20_000);
          expect(await page.textContent("#offline-h")).toBe("暂停服务");
          const ready = await fetch(`${h.baseUrl}/readyz`);
          expect(ready.status).toBe(503);
          expect((await ready.json()).board).toEqual({ ok: false, detail: "lock board not answering" });
          await checkScreen(page, "kiosk-30-offline-real", { touch: true });

          h.sim.reset();
          await screenIs(page, "idle", 30_000);
          await waitFor(async () => (await fetch(`${h.baseUrl}/readyz`)).status === 200, "readyz 200 again", 20_000);
          expect(errors).toEqual([]);
        } finally {
          await browser.close();
        }
      },
    },
    90_000,
  );
});
