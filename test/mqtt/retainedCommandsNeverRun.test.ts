/**
 * A signed `open` published with the retain flag never opens a door from the
 * broker's memory. MQTT 5 (Mosquitto): the locker subscribes with
 * retain-handling 2 and retain-as-published, so the stored copy is never sent
 * and even the live copy shows its flag: refused, the door never opens.
 * MQTT 3.1.1 (aedes, Mosquitto with protocol 4): the broker clears the flag on
 * live delivery, so the live copy runs once like any command; every replay
 * (the copy handed to the locker's new subscription after a reconnect, or one
 * retained while the locker was away) carries the flag and is refused, and
 * the single-use id would refuse it even without the flag.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { signCommand } from "../../src/mqtt/commandSigning.js";
import type { CommandResult } from "../../src/mqtt/topics.js";
import { mosquittoAvailable, startAedes, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { startService, type ServiceRig } from "./helpers/service.js";

const haveMosquitto = mosquittoAvailable();
const cases: Array<[string, () => Promise<TestBroker>, 4 | 5, boolean]> = [
  ["aedes, MQTT 3.1.1", startAedes, 4, true],
  ["mosquitto, MQTT 3.1.1", startMosquitto, 4, haveMosquitto],
  ["mosquitto, MQTT 5", startMosquitto, 5, haveMosquitto],
];

describe.each(cases)("retained commands on %s", (_name, startBroker, protocolVersion, available) => {
  let broker: TestBroker;
  let rig: ServiceRig | undefined;
  let client: MqttClient | undefined;
  afterEach(async () => {
    await client?.endAsync(true);
    await rig?.close();
    await broker?.destroy();
  });

  const until = async (cond: () => boolean, what: string, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it("never open a door from the broker's memory", { timeout: 60_000 }, async (ctx) => {
    if (!available) return ctx.skip();
    broker = await startBroker();
    rig = await startService({ url: broker.url, protocolVersion }, { mqtt: { protocolVersion } });
    const secret = fs.readFileSync(path.join(rig.config.dataDir, "mqtt-command-secret"), "utf8").trim();
    client = await mqtt.connectAsync(broker.url, { protocolVersion, reconnectPeriod: 200 });
    const answers: CommandResult[] = [];
    client.on("message", (_t, p) => answers.push(JSON.parse(p.toString()) as CommandResult));
    await client.subscribeAsync(`${rig.base}/cmd-result`, { qos: 1 });
    const opens = () => rig!.locker.calls.filter((c) => c.method === "staffOpen").length;
    const body = { id: `ret-${randomUUID().slice(0, 12)}`, ts: Math.floor(Date.now() / 1000), compartment: 2, reason: "retained by mistake" };
    const cmd = { ...body, sig: signCommand(secret, rig.config.lockerId, "open", body) };

    await client.publishAsync(`${rig.base}/cmd/open`, JSON.stringify(cmd), { qos: 1, retain: true });
    await until(() => answers.some((a) => a.id === cmd.id), "the answer to the live copy");
    if (protocolVersion === 5) {
      expect(answers.find((a) => a.id === cmd.id)).toMatchObject({ status: "refused", reason: "retained" });
      expect(opens()).toBe(0);
    } else {
      expect(answers.find((a) => a.id === cmd.id)).toMatchObject({ status: "ok" });
      expect(opens()).toBe(1);
    }

    // The locker reconnects (network blip): a fresh subscription.
    const before = answers.length;
    await broker.stop();
    await broker.restart();
    await until(() => rig!.svc.status().connected, "the locker to reconnect", 30_000);
    if (protocolVersion === 4) {
      await until(() => answers.slice(before).some((a) => a.id === cmd.id && a.status === "refused"), "the replay to be refused", 30_000);
      expect(answers.slice(before).find((a) => a.id === cmd.id && a.status === "refused")).toMatchObject({ reason: "retained" });
    } else {
      await new Promise((r) => setTimeout(r, 1000)); // rh 2: the broker never hands the stored copy over
    }
    expect(opens()).toBe(protocolVersion === 5 ? 0 : 1);
    expect(rig.locker.audits.some((a) => a.actorId === cmd.id && a.outcome === "refused" && String(a.reason).startsWith("retained"))).toBe(true);
    await client.publishAsync(`${rig.base}/cmd/open`, "", { qos: 1, retain: true });
  });
});
