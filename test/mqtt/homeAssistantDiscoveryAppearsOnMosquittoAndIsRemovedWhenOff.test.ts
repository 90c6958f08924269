/**
 * Issue 13, must-show 5: with `mqtt.homeAssistant.enabled` the real daemon
 * publishes retained discovery configs on a real Mosquitto (door and lock
 * binary sensors and a status sensor per compartment, no command topic),
 * each valid against the documented shapes, with availability from the
 * locker's `status` topic; restarted with it off, they are removed.
 */
import fs from "node:fs";
import { Ajv } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { subscribe, type Listener } from "./helpers/subscriber.js";

const schema = JSON.parse(fs.readFileSync(new URL("./fixtures/home-assistant-discovery.schema.json", import.meta.url), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe.runIf(mosquittoAvailable())("Home Assistant discovery on Mosquitto", () => {
  let h: LockerHarness | undefined;
  let broker: TestBroker | undefined;
  const subs: Listener[] = [];
  afterEach(async () => {
    for (const s of subs.splice(0)) await s.close();
    await h?.stop();
    await broker?.destroy();
    h = broker = undefined;
  });

  it("18 retained configs for 6 compartments, valid, read-only, availability from status; removed when turned off", { timeout: 90_000 }, async () => {
    broker = await startMosquitto();
    h = await startLocker({ config: { mqtt: { url: broker.url, homeAssistant: { enabled: true, discoveryPrefix: "homeassistant" } } } });
    await waitFor(() => h!.daemon.mqtt.status().connected, "connected", 20_000);
    const base = `lockers/${h.config.lockerId}`;
    const seen = await subscribe(broker.url, "homeassistant/#", 5);
    subs.push(seen);
    await seen.waitFor((m) => m.filter((x) => x.payload).length >= 18, 20_000);
    // A client that comes later (Home Assistant starting) gets them all as retained messages.
    const late = await subscribe(broker.url, "homeassistant/#", 5);
    subs.push(late);
    const got = await late.waitFor((m) => m.filter((x) => x.retain && x.payload).length >= 18, 20_000);
    const configs = got.filter((x) => x.retain && x.payload);
    expect(configs).toHaveLength(18);
    const byTopic = new Map(configs.map((x) => [x.topic, JSON.parse(x.payload)]));
    for (const [topic, c] of byTopic) {
      expect(validate(c), `${topic}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(topic).toMatch(/^homeassistant\/(binary_sensor|sensor)\/lockerd_test-locker\/compartment_\d_(door|lock|status)\/config$/);
      expect(c.state_topic).toBe(`${base}/compartments`);
      expect(c.availability[0]).toMatchObject({ topic: `${base}/status`, payload_available: "online", payload_not_available: "offline" });
      expect(JSON.stringify(c)).not.toMatch(/command_topic/);
    }
    for (let n = 1; n <= 6; n++) {
      expect(byTopic.get(`homeassistant/binary_sensor/lockerd_test-locker/compartment_${n}_door/config`)).toMatchObject({ device_class: "door" });
      expect(byTopic.get(`homeassistant/binary_sensor/lockerd_test-locker/compartment_${n}_lock/config`)).toMatchObject({ device_class: "lock" });
      expect(byTopic.get(`homeassistant/sensor/lockerd_test-locker/compartment_${n}_status/config`)).toMatchObject({
        device_class: "enum",
        options: ["free", "reserved", "holding", "faulty", "disabled"],
      });
    }
    expect(new Set([...byTopic.values()].map((c) => c.unique_id)).size).toBe(18);
    // What the templates read is really in the retained topics they point at.
    const states = await subscribe(broker.url, `${base}/+`, 5);
    subs.push(states);
    const st = await states.waitFor((m) => m.some((x) => x.topic === `${base}/compartments`) && m.some((x) => x.topic === `${base}/status`));
    const compartments = JSON.parse(st.find((x) => x.topic === `${base}/compartments`)!.payload).compartments as Array<{ number: number; door: string; status: string }>;
    expect(compartments.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of compartments) {
      expect(["open", "closed", "unknown"]).toContain(c.door);
      expect(["free", "reserved", "holding", "faulty", "disabled"]).toContain(c.status);
    }
    expect(JSON.parse(st.find((x) => x.topic === `${base}/status`)!.payload).state).toBe("online");

    // Turned off: the same locker restarted without it clears what it had published.
    const dir = h.dir;
    await h.stop({ keepData: true });
    h = await startLocker({ dataDir: dir, config: { dataDir: dir, mqtt: { url: broker.url, homeAssistant: { enabled: false, discoveryPrefix: "homeassistant" } } } });
    await waitFor(() => h!.daemon.mqtt.status().connected, "connected again", 20_000);
    await seen.waitFor((m) => m.filter((x) => x.payload === "").length >= 18, 20_000);
    const after = await subscribe(broker.url, "homeassistant/#", 5);
    subs.push(after);
    await new Promise((r) => setTimeout(r, 1000));
    expect(after.messages.filter((x) => x.retain)).toEqual([]);
    expect(fs.existsSync(`${dir}/ha-discovery.json`)).toBe(false);
  });

  it("a locker that never turned it on writes nothing under the discovery prefix", { timeout: 60_000 }, async () => {
    broker = await startMosquitto();
    const seen = await subscribe(broker.url, "homeassistant/#", 5);
    subs.push(seen);
    h = await startLocker({ config: { mqtt: { url: broker.url } } });
    await waitFor(() => h!.daemon.mqtt.status().connected, "connected", 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen.messages).toEqual([]);
  });
});
