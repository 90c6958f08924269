/**
 * The locker's topics belong to the locker, on the embedded broker (aedes
 * with BrokerAcl) and on a site Mosquitto (password file, the example ACL,
 * use_username_as_clientid): a client that is not the locker cannot publish
 * its status, events or command results, cannot connect with its client id
 * to kick it off, and the locker keeps its session (still online, still
 * answering commands) afterwards.
 */
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCommand } from "../../src/mqtt/commandSigning.js";
import type { CommandResult } from "../../src/mqtt/topics.js";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "./helpers/brokers.js";
import { startService, type ServiceRig } from "./helpers/service.js";

const ACL = path.resolve(import.meta.dirname, "..", "..", "config", "mosquitto-site.example.acl");
const OFFICE_PW = "office-password-" + randomUUID();
const STAFF_PW = "staff-password-" + randomUUID();
const LOCKER_PW = "locker-password-" + randomUUID();

interface Setup {
  rig: ServiceRig;
  url: string;
  protocolVersion: 4 | 5;
  /** Connect options of a read-only user, of a command user. */
  reader: IClientOptions;
  office: IClientOptions;
  /** Options a stranger uses to connect with the locker's client id. */
  impostor: IClientOptions;
  close(): Promise<void>;
}

async function embedded(): Promise<Setup> {
  const pwFile = path.join(fs.mkdtempSync(path.join((await import("node:os")).tmpdir(), "lockerd-users-")), "office.pw");
  fs.writeFileSync(pwFile, OFFICE_PW + "\n", { mode: 0o600 });
  const rig = await startService(
    { url: "embedded", protocolVersion: 4 },
    { mqtt: { embeddedHost: "127.0.0.1", embeddedPort: 0, embeddedAnonymous: "read", embeddedUsers: [{ username: "backoffice", passwordFile: pwFile, rights: "command" }] } },
  );
  const url = rig.svc.status().url;
  return {
    rig,
    url,
    protocolVersion: 4,
    reader: {},
    office: { username: "backoffice", password: OFFICE_PW },
    impostor: { clientId: rig.config.lockerId },
    close: async () => {
      await rig.close();
      fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
    },
  };
}

async function mosquitto(): Promise<Setup> {
  let lockerId = "";
  const id = `t-${randomUUID().slice(0, 8)}`;
  const broker: TestBroker = await startMosquitto({
    listener: (dir) => {
      const passwd = path.join(dir, "passwd");
      for (const [i, [user, pw]] of [
        [id, LOCKER_PW],
        ["staff", STAFF_PW],
        ["backoffice", OFFICE_PW],
      ].entries()) {
        const r = spawnSync("mosquitto_passwd", [...(i === 0 ? ["-c"] : []), "-b", passwd, user!, pw!]);
        if (r.status !== 0) throw new Error(`mosquitto_passwd: ${r.stderr}`);
      }
      // Bound to the user name, a client id cannot be borrowed to kick the locker off (mosquitto.conf(5)).
      return ["allow_anonymous false", "use_username_as_clientid true", `password_file ${passwd}`, `acl_file ${ACL}`];
    },
  });
  const rig = await startService(broker, { mqtt: { username: id, password: LOCKER_PW }, lockerId: id });
  lockerId = rig.config.lockerId;
  return {
    rig,
    url: broker.url,
    protocolVersion: 5,
    reader: { username: "staff", password: STAFF_PW },
    office: { username: "backoffice", password: OFFICE_PW },
    impostor: { clientId: lockerId, username: "staff", password: STAFF_PW },
    close: async () => {
      await rig.close();
      await broker.destroy();
    },
  };
}

const setups: Array<[string, () => Promise<Setup>, boolean]> = [
  ["embedded aedes", embedded, true],
  ["mosquitto", mosquitto, mosquittoAvailable()],
];

describe.each(setups)("on %s only the locker publishes under its topics", (_name, make, available) => {
  let s: Setup;
  const clients: MqttClient[] = [];
  const connect = async (o: IClientOptions) => {
    const c = await mqtt.connectAsync(s.url, { protocolVersion: s.protocolVersion, reconnectPeriod: 0, connectTimeout: 5000, ...o });
    clients.push(c);
    return c;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    if (available) s = await make();
  }, 30_000);
  afterAll(async () => {
    if (!available) return;
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
    await s.close();
  });

  it("refuses anonymous and read-only publishes to status, events and cmd-result", async (ctx) => {
    if (!available) return ctx.skip();
    const base = s.rig.base;
    const watcher = await connect(s.reader);
    const seen: Array<{ topic: string; payload: string }> = [];
    watcher.on("message", (topic, p) => seen.push({ topic, payload: p.toString() }));
    await watcher.subscribeAsync(`${base}/#`, { qos: 1 });
    await sleep(300);
    seen.length = 0;

    if (s.protocolVersion === 4) {
      // Anonymous clients (read-only on the embedded broker).
      const anon = await connect({});
      await anon.publishAsync(`${base}/status`, '{"state":"offline"}', { qos: 0, retain: true }).catch(() => {});
      const anon2 = await connect({});
      await anon2.publishAsync(`${base}/events/alarm`, '{"fake":true}', { qos: 0 }).catch(() => {});
    } else {
      // Mosquitto refuses anonymous clients outright.
      await expect(mqtt.connectAsync(s.url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow();
    }
    const reader = await connect(s.reader);
    for (const t of ["status", "events/dropoff", "cmd-result", "compartments"])
      await reader.publishAsync(`${base}/${t}`, '{"fake":true}', { qos: 0, retain: t === "status" }).catch(() => {});
    await sleep(500);
    expect(seen.filter((m) => m.payload.includes("fake") || m.payload.includes('"offline"'))).toEqual([]);

    // A fresh subscriber still gets the locker's own retained "online".
    const late = await connect(s.reader);
    const status = new Promise<string>((resolve) => late.on("message", (t, p) => t.endsWith("/status") && resolve(p.toString())));
    await late.subscribeAsync(`${base}/status`, { qos: 1 });
    expect(JSON.parse(await status)).toMatchObject({ state: "online" });
  });

  it("refuses a second connection with the locker's client id; the locker stays connected and keeps answering", async (ctx) => {
    if (!available) return ctx.skip();
    let drops = 0;
    const client = (s.rig.svc as unknown as { client: MqttClient }).client;
    client.on("close", () => drops++);

    if (s.protocolVersion === 4) {
      await expect(connect(s.impostor)).rejects.toThrow(/Identifier rejected|identifier/i);
    } else {
      // Mosquitto accepts the connection but under the user's own name, so nothing is taken over.
      const imp = await connect(s.impostor);
      await imp.publishAsync(`${s.rig.base}/status`, '{"state":"offline","fake":true}', { qos: 1, retain: true }).catch(() => {});
    }
    await sleep(800);
    expect(drops).toBe(0);
    expect(s.rig.svc.status().connected).toBe(true);

    // The locker's subscription survived: a signed ping from the command user is answered.
    const office = await connect(s.office);
    const answers: CommandResult[] = [];
    office.on("message", (_t, p) => answers.push(JSON.parse(p.toString()) as CommandResult));
    await office.subscribeAsync(`${s.rig.base}/cmd-result`, { qos: 1 });
    const secret = fs.readFileSync(path.join(s.rig.config.dataDir, "mqtt-command-secret"), "utf8").trim();
    const body = { id: `ping-${randomUUID().slice(0, 8)}`, ts: Math.floor(Date.now() / 1000) };
    await office.publishAsync(`${s.rig.base}/cmd/ping`, JSON.stringify({ ...body, sig: signCommand(secret, s.rig.config.lockerId, "ping", body) }), { qos: 1 });
    const deadline = Date.now() + 10_000;
    while (!answers.some((a) => a.id === body.id) && Date.now() < deadline) await sleep(20);
    expect(answers.find((a) => a.id === body.id)).toMatchObject({ status: "ok", command: "ping" });
    expect(drops).toBe(0);
  });

  it("lets only command users send commands (a read-only user's command never reaches the locker)", async (ctx) => {
    if (!available) return ctx.skip();
    const office = await connect(s.office);
    const answers: CommandResult[] = [];
    office.on("message", (_t, p) => answers.push(JSON.parse(p.toString()) as CommandResult));
    await office.subscribeAsync(`${s.rig.base}/cmd-result`, { qos: 1 });
    const reader = await connect(s.reader);
    await reader.publishAsync(`${s.rig.base}/cmd/ping`, JSON.stringify({ id: "from-reader-1", ts: 1, sig: "0".repeat(64) }), { qos: 0 }).catch(() => {});
    await sleep(600);
    expect(answers.filter((a) => a.id === "from-reader-1")).toEqual([]);
    expect(s.rig.locker.audits.filter((a) => a.actorId === "from-reader-1")).toEqual([]);
  });
});
