/**
 * Must-show 2 on the real daemon: the site broker (a real Mosquitto) is down
 * for 30 s while 20 drop-offs complete; once it is back all 20 events arrive
 * at a staff client, in order, 20 unique ids. LOCKERD_OUTAGE_MS shortens the
 * outage for a quick local run (default 30000, the figure).
 */
import { afterEach, describe, expect, it } from "vitest";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import { waitFor } from "../support/waitFor.js";
import { type LockerHarness, startLocker } from "../support/harness.js";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { dropOff, staffCollect } from "./helpers/daemonDriving.js";
import { subscribe, type Listener } from "./helpers/subscriber.js";

const OUTAGE_MS = Number(process.env.LOCKERD_OUTAGE_MS ?? 30_000);
const v = mqttValidators();

describe("broker outage on the real daemon", () => {
  let h: LockerHarness | undefined;
  let broker: TestBroker | undefined;
  let sub: Listener | undefined;
  afterEach(async () => {
    await sub?.close();
    await h?.stop();
    await broker?.destroy();
    h = broker = sub = undefined;
  });

  it.runIf(mosquittoAvailable())(
    `broker down ${OUTAGE_MS / 1000} s while 20 drop-offs complete: all 20 arrive after, in order, unique ids`,
    { timeout: OUTAGE_MS + 240_000 },
    async () => {
      broker = await startMosquitto();
      h = await startLocker({ config: { mqtt: { url: broker.url, reconnectPeriodMs: 250, reconnectMaxMs: 2000 } } });
      const base = `lockers/${h.config.lockerId}`;
      // A staff client with a persistent session: the broker keeps its queue across its own restart.
      sub = await subscribe(broker.url, `${base}/events/dropoff`, 5, `staff-${process.pid}`);
      await waitFor(() => h!.daemon.mqtt.status().connected, "daemon connected to Mosquitto", 20_000);

      await broker.stop();
      const downAt = Date.now();
      await waitFor(() => !h!.daemon.mqtt.status().connected, "daemon notices the broker is gone", 20_000);
      const cases: string[] = [];
      for (let i = 0; i < 20; i++) {
        const d = await dropOff(h, `1381234${String(5600 + i)}`);
        cases.push(d.caseId);
        await staffCollect(h, d.caseId); // free the compartment for the next one (6 compartments, 20 drop-offs)
      }
      expect(h.daemon.mqtt.status()).toMatchObject({ connected: false, outboxDepth: 20 });
      expect(sub.messages).toHaveLength(0);
      const left = OUTAGE_MS - (Date.now() - downAt);
      if (left > 0) await new Promise((r) => setTimeout(r, left));

      await broker.restart();
      const got = await sub.waitFor((m) => new Set(m.map((x) => x.payload)).size >= 20, 60_000);
      const events = [
        ...new Map(
          got.map((x) => {
            const e = JSON.parse(x.payload);
            return [e.id, e];
          }),
        ).values(),
      ];
      expect(events).toHaveLength(20);
      expect(events.map((e) => e.caseId)).toEqual(cases);
      for (const e of events) expect(v.event(e), v.errorsText(v.event)).toBe(true);
      await waitFor(() => h!.daemon.mqtt.status().outboxDepth === 0, "outbox drained", 20_000);
      console.log(`outage ${((Date.now() - downAt) / 1000).toFixed(1)} s, 20 drop-offs queued, ${got.length} deliveries, ${events.length} unique ids in order`);
    },
  );
});
