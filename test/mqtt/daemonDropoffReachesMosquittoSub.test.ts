/**
 * Must-show 1 on the real daemon over the board simulator: a drop-off whose
 * door closes produces `events/dropoff`, read by Mosquitto's own
 * `mosquitto_sub`, matching the schema, with a masked phone. Against the
 * embedded aedes broker (the demo default) and against a real Mosquitto.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import { type LockerHarness, startLocker } from "../support/harness.js";
import { MOSQUITTO_SUB, mosquittoAvailable, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { dropOff } from "./helpers/daemonDriving.js";
import { mosquittoSub, type Listener } from "./helpers/subscriber.js";

const v = mqttValidators();
const haveMosquitto = mosquittoAvailable();

describe("a drop-off reaches mosquitto_sub", () => {
  let h: LockerHarness | undefined;
  let broker: TestBroker | undefined;
  let sub: Listener | undefined;
  afterEach(async () => {
    await sub?.close();
    await h?.stop();
    await broker?.destroy();
    h = broker = sub = undefined;
  });

  async function check(harness: LockerHarness, listener: Listener) {
    const d = await dropOff(harness, "13812345678");
    const got = await listener.waitFor((m) => m.some((x) => x.topic === `lockers/${harness.config.lockerId}/events/dropoff`), 15_000);
    const event = JSON.parse(got.find((x) => x.topic.endsWith("/events/dropoff"))!.payload);
    expect(v.event(event), v.errorsText(v.event)).toBe(true);
    expect(event).toMatchObject({ type: "dropoff", caseId: d.caseId, caseNumber: d.caseNumber, compartment: d.compartment, phone: "138****5678", matter: "residence-permit" });
    expect(got.map((x) => x.payload).join("\n")).not.toContain("13812345678");
    // status and compartments came too, schema-valid
    const status = JSON.parse(got.find((x) => x.topic.endsWith("/status"))!.payload);
    expect(v.status(status), v.errorsText(v.status)).toBe(true);
    expect(status.state).toBe("online");
    // compartments is re-published on change: one snapshot shows the door holding this case
    const holding = (m: typeof got) =>
      m
        .filter((x) => x.topic.endsWith("/compartments"))
        .some((x) =>
          JSON.parse(x.payload).compartments.some(
            (c: { number: number; status: string; caseId?: string }) => c.number === d.compartment && c.status === "holding" && c.caseId === d.caseId,
          ),
        );
    await listener.waitFor(holding, 15_000);
    const comps = listener.messages.filter((x) => x.topic.endsWith("/compartments")).map((x) => JSON.parse(x.payload));
    expect(comps.length).toBeGreaterThan(1);
    for (const c of comps) expect(v.compartments(c), v.errorsText(v.compartments)).toBe(true);
  }

  it.runIf(Boolean(MOSQUITTO_SUB) || !!process.env.CI)("via the embedded aedes broker (demo default)", { timeout: 60_000 }, async () => {
    h = await startLocker();
    // Anonymous clients may publish only under check/ on the embedded broker: the probe goes there.
    sub = await mosquittoSub(Number(new URL(h.mqttUrl).port), "lockers/#", "mqttv311", `lockers/${h.config.lockerId}/check/_probe`);
    await check(h, sub);
  });

  it.runIf(haveMosquitto)("via a real Mosquitto", { timeout: 60_000 }, async () => {
    broker = await startMosquitto();
    sub = await mosquittoSub(broker.port, "lockers/#");
    h = await startLocker({ config: { mqtt: { url: broker.url } } });
    await check(h, sub);
  });
});
