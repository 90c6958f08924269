/**
 * Issue 6, must-show 3: two lockerd processes with different locker ids on
 * one Mosquitto (a site broker). A staff consumer subscribed to
 * `lockers/+/events/#` gets both lockers' events, each attributed to the
 * right locker by topic and payload.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "../mqtt/helpers/brokers.js";
import { subscribe } from "../mqtt/helpers/subscriber.js";
import { type LockerdProcess, requireBuild, startLockerd } from "../support/processes.js";
import { json } from "../support/http.js";

describe.runIf(mosquittoAvailable())("a fleet on one site broker", () => {
  const dirs: string[] = [];
  const daemons: LockerdProcess[] = [];
  let broker: TestBroker | undefined;
  afterAll(async () => {
    for (const d of daemons) await d.stop();
    await broker?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("staff subscribed to lockers/+/events/# see each locker's drop-off under its own id", { timeout: 90_000 }, async () => {
    requireBuild();
    broker = await startMosquitto();
    const ids = ["centre-north-1", "centre-south-2"];
    for (const lockerId of ids) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lockerd-${lockerId}-`));
      dirs.push(dir);
      const file = path.join(dir, "config.json");
      fs.writeFileSync(
        file,
        JSON.stringify({
          lockerId,
          dataDir: "./data",
          http: { port: 0, kioskPort: 0 },
          mqtt: { url: broker.url },
          simulator: { controlPort: 0, openAfterMs: 200, closeAfterMs: 500 },
          pins: { scryptCost: 1024 },
        }),
      );
      daemons.push(await startLockerd(file));
    }
    const staff = await subscribe(broker.url, "lockers/+/events/#", 5);
    try {
      const cases = new Map<string, string>();
      for (const [i, d] of daemons.entries()) {
        const state = (await json(`${d.kioskUrl}/kiosk/state`)) as { qr: { url: string } };
        const token = state.qr.url.split("/d/")[1]!;
        const drop = (await json(`${d.url}/api/dropoff`, { token, matter: "certificate", phone: `1380000${1000 + i}`, pin: "604817", pinConfirm: "604817", consent: true })) as {
          caseId: string;
        };
        cases.set(ids[i]!, drop.caseId);
      }
      const got = await staff.waitFor((m) => ids.every((id) => m.some((x) => x.topic === `lockers/${id}/events/dropoff`)), 30_000);
      for (const id of ids) {
        const events = got.filter((x) => x.topic === `lockers/${id}/events/dropoff`).map((x) => JSON.parse(x.payload));
        expect(events.map((e) => e.lockerId)).toEqual(events.map(() => id));
        expect(events.map((e) => e.caseId)).toContain(cases.get(id));
        // A case id never shows up under the other locker.
        const other = ids.find((x) => x !== id)!;
        expect(got.filter((x) => x.topic.startsWith(`lockers/${other}/`)).map((x) => JSON.parse(x.payload).caseId)).not.toContain(cases.get(id));
      }
    } finally {
      await staff.close();
    }
  });
});
