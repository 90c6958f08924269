/**
 * Outbox → broker: every event reaches a subscriber on events/<type>, in
 * outbox order, is marked sent only once the broker acknowledged it, and
 * matches the contract's schema. Run against aedes and a real Mosquitto.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import { bothBrokers, type TestBroker } from "./helpers/brokers.js";
import { type ServiceRig, startService } from "../support/harness.js";
import { subscribe, mosquittoSub, type Listener } from "./helpers/subscriber.js";

const v = mqttValidators();
const brokers = bothBrokers();

describe.each(brokers)("events from the outbox via %s", (_name, startBroker, available) => {
  let broker: TestBroker | undefined;
  let rig: ServiceRig | undefined;
  let sub: Listener | undefined;
  afterEach(async () => {
    await sub?.close();
    await rig?.close();
    await broker?.destroy();
    sub = rig = broker = undefined;
  });

  it.runIf(available)("publishes each event on events/<type>, in order, schema-valid, marked sent after PUBACK", async () => {
    broker = await startBroker();
    rig = await startService(broker);
    sub = broker.kind === "mosquitto" ? await mosquittoSub(broker.port, `${rig.base}/events/#`) : await subscribe(broker.url, `${rig.base}/events/#`, 4);
    const sent = [
      rig.outbox.append({ type: "dropoff", caseId: "c1", caseNumber: "A01", compartment: 2, matter: "other", phone: "138****5678", lockerId: rig.config.lockerId }),
      rig.outbox.append({ type: "alarm", kind: "tamper", compartment: 4, message: "door 4 opened without a command", lockerId: rig.config.lockerId }),
      rig.outbox.append({ type: "ready", caseId: "c1", caseNumber: "A01", compartment: 5, matter: "other", phone: "138****5678", lockerId: rig.config.lockerId }),
    ];
    const got = await sub.waitFor((m) => m.length >= 3);
    expect(got.map((m) => m.topic)).toEqual([`${rig.base}/events/dropoff`, `${rig.base}/events/alarm`, `${rig.base}/events/ready`]);
    const payloads = got.map((m) => JSON.parse(m.payload));
    expect(payloads.map((p) => p.id)).toEqual(sent.map((e) => e.id));
    for (const p of payloads) expect(v.event(p), v.errorsText(v.event)).toBe(true);
    await expect.poll(() => rig!.outbox.depth(), { timeout: 10_000 }).toBe(0);
    expect(rig.outbox.sentOrder).toEqual([1, 2, 3]);
    expect(rig.svc.status()).toMatchObject({ connected: true, outboxDepth: 0 });
    expect(rig.svc.status().lastPublishAt).not.toBeNull();
  });
});
