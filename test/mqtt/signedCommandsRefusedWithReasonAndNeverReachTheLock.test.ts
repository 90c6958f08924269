/**
 * Signed commands over a real broker: a valid open reaches the locker and
 * answers ok; every refusal (bad signature, stale timestamp, replayed id,
 * unknown compartment, over the hourly cap, unsynced clock, malformed, an
 * "open all" verb) answers "refused" with a reason, is audited, and never
 * calls the locker's open (so no frame can reach the serial line).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandLedger } from "../../src/mqtt/CommandLedger.js";
import { signCommand } from "../../src/mqtt/commandSigning.js";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import type { CommandResult, SignedCommand } from "../../src/mqtt/topics.js";
import { m002_mqtt } from "../../src/store/migrations/002-mqtt.js";
import { ManualClock } from "../../src/util/clock.js";
import { bothBrokers, type TestBroker } from "./helpers/brokers.js";
import { type ServiceRig, startService } from "../support/harness.js";
import { subscribe, type Listener } from "./helpers/subscriber.js";

const v = mqttValidators();
const brokers = bothBrokers();

describe.each(brokers)("signed commands via %s", (_name, startBroker, available) => {
  let broker: TestBroker;
  let rig: ServiceRig;
  let results: Listener;
  let pub: mqtt.MqttClient;
  let secret: string;
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));

  beforeAll(async () => {
    if (!available) return;
    broker = await startBroker();
    rig = await startService(broker, { clock, mqtt: { commands: { windowSeconds: 120, maxOpensPerHour: 2 } } });
    secret = fs.readFileSync(path.join(rig.config.dataDir, "mqtt-command-secret"), "utf8").trim();
    // Persistent session: answers published while it reconnects (broker restart test) are kept for it.
    results = await subscribe(broker.url, `${rig.base}/cmd-result`, broker.protocolVersion, `results-${rig.config.lockerId}`);
    pub = await mqtt.connectAsync(broker.url, { protocolVersion: broker.protocolVersion });
  });
  afterAll(async () => {
    if (!available) return;
    await pub.endAsync();
    await results.close();
    await rig.close();
    await broker.destroy();
  });

  function signed(name: string, fields: Partial<SignedCommand> = {}, key = secret): SignedCommand {
    const body = { id: `cmd-${randomUUID()}`, ts: Math.floor(clock.wallMs() / 1000), ...fields };
    delete (body as Partial<SignedCommand>).sig;
    return { ...body, sig: fields.sig ?? signCommand(key, rig.config.lockerId, name, body) } as SignedCommand;
  }

  async function send(name: string, payload: unknown, retain = false): Promise<CommandResult> {
    const id = (payload as { id?: string }).id ?? null;
    const seen = results.messages.length;
    await pub.publishAsync(`${rig.base}/cmd/${name}`, typeof payload === "string" ? payload : JSON.stringify(payload), { qos: 1, retain });
    const got = await results.waitFor((m) => m.slice(seen).some((x) => JSON.parse(x.payload).id === id));
    const result = JSON.parse(got.slice(seen).find((x) => JSON.parse(x.payload).id === id)!.payload) as CommandResult;
    expect(v["cmd-result"](result), v.errorsText(v["cmd-result"])).toBe(true);
    return result;
  }

  const opens = () => rig.locker.calls.filter((c) => c.method === "staffOpen").length;
  const refusedAudit = (id: string) => rig.locker.audits.find((a) => a.actorId === id && a.outcome === "refused");

  it.runIf(available)("a valid signed open opens the compartment and answers ok", async () => {
    const cmd = signed("open", { compartment: 3, reason: "collect pouch of case A07" });
    expect(v.command(cmd), v.errorsText(v.command)).toBe(true);
    const r = await send("open", cmd);
    expect(r).toMatchObject({ id: cmd.id, command: "open", status: "ok", data: { compartment: 3 } });
    const call = rig.locker.calls.at(-1)!;
    expect(call.method).toBe("staffOpen");
    expect(call.args).toEqual([3, "collect pouch of case A07", { kind: "remote", id: cmd.id, via: "mqtt" }]);
  });

  it.runIf(available).each([
    ["bad-signature", () => signed("open", { compartment: 3, reason: "r" }, "not-the-secret-not-the-secret-00")],
    ["stale-timestamp", () => signed("open", { compartment: 3, reason: "r", ts: Math.floor(clock.wallMs() / 1000) - 600 })],
    ["unknown-compartment", () => signed("open", { compartment: 42, reason: "r" })],
    ["malformed", () => signed("open", { compartment: 3 })],
  ])("refuses %s, audits it, and does not open", async (reason, make) => {
    const before = opens();
    const cmd = make();
    const r = await send("open", cmd);
    expect(r).toMatchObject({ id: cmd.id, status: "refused", reason });
    expect(r.message).toBeTruthy();
    expect(refusedAudit(cmd.id)?.reason).toContain(reason);
    expect(opens()).toBe(before);
  });

  it.runIf(available)("refuses a replayed id", async () => {
    const cmd = signed("open", { compartment: 2, reason: "first use" });
    expect((await send("open", cmd)).status).toBe("ok");
    const before = opens();
    const r = await send("open", cmd);
    expect(r).toMatchObject({ status: "refused", reason: "replayed-id" });
    expect(refusedAudit(cmd.id)).toBeDefined();
    expect(opens()).toBe(before);
  });

  it.runIf(available)("refuses an open over the hourly cap, and accepts again an hour later", async () => {
    // Two opens accepted so far in this hour (the cap is 2).
    const before = opens();
    const over = signed("open", { compartment: 1, reason: "one too many" });
    expect(await send("open", over)).toMatchObject({ status: "refused", reason: "open-cap-reached" });
    expect(refusedAudit(over.id)).toBeDefined();
    expect(opens()).toBe(before);
    clock.advance(3_601_000);
    expect((await send("open", signed("open", { compartment: 1, reason: "next hour" }))).status).toBe("ok");
  });

  it.runIf(available)("refuses while the wall clock is not trusted, saying why", async () => {
    clock.trusted = false;
    try {
      const cmd = signed("open", { compartment: 1, reason: "r" });
      expect(await send("open", cmd)).toMatchObject({ status: "refused", reason: "clock-unsynced" });
    } finally {
      clock.trusted = true;
    }
  });

  it.runIf(available)("has no open-all verb and refuses several compartments in one command", async () => {
    const before = opens();
    const all = signed("open-all", {});
    expect(await send("open-all", all)).toMatchObject({ status: "refused", reason: "unknown-command" });
    const many = { ...signed("open", { reason: "r" }), compartment: [1, 2, 3] };
    expect(await send("open", many)).toMatchObject({ status: "refused", reason: "malformed" });
    expect(await send("open", "not json")).toMatchObject({ id: null, status: "refused", reason: "malformed" });
    const huge = await send("open", JSON.stringify({ pad: "x".repeat(100_000) }));
    expect(huge).toMatchObject({ id: null, status: "refused", reason: "malformed" });
    expect(huge.message).toMatch(/at most 4096/);
    expect(opens()).toBe(before);
  });

  it.runIf(available)("refuses a retained command when the broker replays it on reconnect", { timeout: 60_000 }, async () => {
    const cmd = signed("ping", {});
    const answers = () => results.messages.map((m) => JSON.parse(m.payload) as CommandResult).filter((r) => r.id === cmd.id);
    try {
      await pub.publishAsync(`${rig.base}/cmd/ping`, JSON.stringify(cmd), { qos: 1, retain: true });
      await results.waitFor(() => answers().length === 1);
      if (broker.protocolVersion === 5) {
        // MQTT 5: the locker subscribes with retain-as-published, so even the live copy shows the flag and is refused.
        expect(answers()[0]).toMatchObject({ status: "refused", reason: "retained" });
      } else {
        // 3.1.1: live delivery carries no retain flag (MQTT forwards it only to new subscriptions): answered once, normally.
        expect(answers()[0]).toMatchObject({ status: "ok" });
      }
      // After a reconnect: on 3.1.1 the broker hands the retained copy to the locker's new subscription
      // (refused); on MQTT 5 the locker subscribes with "don't send retained" (rh 2), so no copy comes at all.
      await broker.stop();
      await broker.restart();
      await rig.svc.whenConnected(30_000);
      // (an answer may be redelivered to this persistent subscriber too: at-least-once)
      await results.waitFor(() => answers().some((a) => a.status === "refused"), 30_000);
      // Whatever the version, the retained command never ran after the reconnect: on MQTT 5 not even once.
      expect(answers().some((a) => a.status === "ok")).toBe(broker.protocolVersion !== 5);
      expect(answers().find((a) => a.status === "refused")).toMatchObject({ reason: "retained" });
      expect(refusedAudit(cmd.id)?.reason).toContain("retained");
    } finally {
      await pub.publishAsync(`${rig.base}/cmd/ping`, "", { qos: 1, retain: true });
    }
  });

  it.runIf(available)("disable, enable and ping are signed commands too", async () => {
    expect(await send("disable", signed("disable", { compartment: 5, reason: "hinge broken" }))).toMatchObject({ status: "ok" });
    expect(await send("enable", signed("enable", { compartment: 5 }))).toMatchObject({ status: "ok" });
    const ping = await send("ping", signed("ping"));
    expect(ping).toMatchObject({ status: "ok", data: { pong: true } });
    expect(rig.locker.calls.map((c) => c.method)).toEqual(expect.arrayContaining(["disable", "enable"]));
    expect(rig.locker.audits.some((a) => a.action === "mqtt.ping" && a.outcome === "ok")).toBe(true);
  });
});

describe("command ids", () => {
  it("stay used after the database is closed and reopened (a restart)", () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "lockerd-ledger-"));
    const file = path.join(dir, "l.sqlite");
    try {
      let db = new Database(file);
      db.transaction(() => m002_mqtt.up(db))();
      expect(new CommandLedger(db).claim("cmd-restart-1", "open", Date.UTC(2026, 10, 27))).toBe(true);
      db.close();
      db = new Database(file);
      expect(new CommandLedger(db).claim("cmd-restart-1", "open", Date.UTC(2026, 10, 27, 0, 1))).toBe(false);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
