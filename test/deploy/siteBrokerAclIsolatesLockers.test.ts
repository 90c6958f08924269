import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const acl = path.join(root, "config", "mosquitto-site.example.acl");
const haveMosquitto = requireTool(["mosquitto", "mosquitto_passwd"], "the site-broker ACL test");
let dir: string;
let port: number;
let broker: ChildProcess | undefined;
let brokerLog = "";
const clients: MqttClient[] = [];

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const p = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return p;
}

async function connect(user: string, clientId = user): Promise<MqttClient> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        clientId,
        username: user,
        password: `pw-${user}`,
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      clients.push(c);
      return c;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`cannot connect as ${user}: ${(e as Error).message}; mosquitto said: ${brokerLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function collect(c: MqttClient): string[] {
  const seen: string[] = [];
  c.on("message", (topic) => seen.push(topic));
  return seen;
}

beforeAll(async () => {
  if (!haveMosquitto) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-acl-"));
  port = await freePort();
  const passwd = path.join(dir, "passwd");
  for (const [i, user] of ["locker-a", "locker-b", "staff", "backoffice"].entries()) {
    const r = spawnSync("mosquitto_passwd", [...(i === 0 ? ["-c"] : []), "-b", passwd, user, `pw-${user}`]);
    if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
  }
  const aclCopy = path.join(dir, "site.acl");
  fs.copyFileSync(acl, aclCopy);
  const conf = path.join(dir, "mosquitto.conf");
  fs.writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, "allow_anonymous false", "set_tcp_nodelay true", "persistence false", `password_file ${passwd}`, `acl_file ${aclCopy}`].join("\n") + "\n",
  );
  // Started as root, mosquitto drops to its own user: it must be able to read these. The ACL is
  // copied here: the checkout may sit in a folder only its owner can enter (e.g. /root).
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(passwd, 0o644);
  fs.chmodSync(aclCopy, 0o644);
  broker = spawn("mosquitto", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  broker.stderr!.on("data", (d: Buffer) => (brokerLog += d.toString()));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  broker?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveMosquitto)("the example site-broker ACL keeps each locker to its own topics", () => {
  it("lets a locker publish only under its own id, staff read every locker's events, the back office command one locker", async () => {
    const staff = await connect("staff");
    const staffSaw = collect(staff);
    await staff.subscribeAsync("lockers/+/events/#", { qos: 1 });

    const lockerA = await connect("locker-a");
    const lockerB = await connect("locker-b");
    const aSaw = collect(lockerA);
    const bSaw = collect(lockerB);
    await lockerA.subscribeAsync("lockers/locker-a/cmd/#", { qos: 1 });
    // mosquitto grants the subscription but never delivers what the ACL does not let locker-b read
    await lockerB.subscribeAsync("lockers/locker-a/cmd/#", { qos: 1 });
    await lockerB.subscribeAsync("lockers/locker-b/cmd/#", { qos: 1 });

    // locker-a posing as locker-b is refused by the broker (MQTT 5 PUBACK "not authorized")
    await expect(lockerA.publishAsync("lockers/locker-b/events/dropoff", "{}", { qos: 1 })).rejects.toThrow();
    await lockerA.publishAsync("lockers/locker-a/events/dropoff", "{}", { qos: 1 });
    await lockerB.publishAsync("lockers/locker-b/events/alarm", "{}", { qos: 1 });
    await waitFor(() => staffSaw.length >= 2, "staff to receive both lockers' events", 20_000);
    expect(staffSaw.sort()).toEqual(["lockers/locker-a/events/dropoff", "lockers/locker-b/events/alarm"]);

    // staff may not send commands; the back office may
    await expect(staff.publishAsync("lockers/locker-a/cmd/open", "{}", { qos: 1 })).rejects.toThrow();
    const office = await connect("backoffice");
    await office.publishAsync("lockers/locker-a/cmd/open", '{"id":"x"}', { qos: 1 });
    // a marker locker-b may read, sent after: if the open leaked to locker-b it would arrive first
    await office.publishAsync("lockers/locker-b/cmd/ping", '{"id":"y"}', { qos: 1 });
    await waitFor(() => aSaw.length >= 1 && bSaw.length >= 1, "both lockers to receive their commands", 20_000);
    expect(aSaw).toEqual(["lockers/locker-a/cmd/open"]);
    expect(bSaw).toEqual(["lockers/locker-b/cmd/ping"]);
  });
});
