/** Listeners for the tests: an mqtt.js subscriber and Mosquitto's own `mosquitto_sub`. */
import { spawn } from "node:child_process";
import mqtt from "mqtt";
import { MOSQUITTO_SUB } from "./brokers.js";

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface Listener {
  messages: Received[];
  /** Resolve with the messages once `pred` holds; reject with what was seen after `timeoutMs`. */
  waitFor(pred: (m: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

function waiter(messages: Received[]) {
  const waiters = new Set<() => void>();
  return {
    notify: () => waiters.forEach((w) => w()),
    waitFor(pred: (m: Received[]) => boolean, timeoutMs = 20_000): Promise<Received[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(messages)) {
            clearTimeout(t);
            waiters.delete(check);
            resolve(messages);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`condition not met within ${timeoutMs} ms; saw ${messages.length} message(s): ${messages.map((m) => m.topic).join(", ")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * mqtt.js subscriber on `filter` (QoS 1). With `persistentId` it keeps its
 * session (MQTT 3.1.1, clean=false) so the broker queues messages for it
 * while it reconnects after a broker restart.
 */
export async function subscribe(url: string, filter: string, protocolVersion: 4 | 5, persistentId?: string): Promise<Listener & { client: mqtt.MqttClient }> {
  const client = await mqtt.connectAsync(
    url,
    persistentId ? { protocolVersion: 4, clientId: persistentId, clean: false, reconnectPeriod: 100 } : { protocolVersion, reconnectPeriod: 200, clean: true },
  );
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const messages: Received[] = [];
  const w = waiter(messages);
  client.on("message", (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString("utf8"), retain: packet.retain });
    w.notify();
  });
  // Re-subscribe after a broker restart (harmless when the session survived).
  client.on("connect", () => void client.subscribeAsync(filter, { qos: 1 }).catch(() => {}));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, messages, waitFor: w.waitFor, close: () => client.endAsync() };
}

/**
 * Mosquitto's `mosquitto_sub -v` on `filter`; each line is "topic payload".
 * `probeTopic`: where the anonymous probe may publish (on the embedded broker only `<base>/check/…`).
 */
export async function mosquittoSub(port: number, filter: string, protocol: "mqttv5" | "mqttv311" = "mqttv5", probeTopic?: string): Promise<Listener> {
  if (!MOSQUITTO_SUB) throw new Error("mosquitto_sub is not installed");
  const proc = spawn(MOSQUITTO_SUB, ["-h", "127.0.0.1", "-p", String(port), "-V", protocol, "-q", "1", "-v", "-t", filter], { stdio: ["ignore", "pipe", "pipe"] });
  const messages: Received[] = [];
  const w = waiter(messages);
  const probe = probeTopic ?? filter.replace(/#$/, "_probe").replace(/\+/g, "_probe");
  let probed = false;
  let buf = "";
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const sp = line.indexOf(" ");
      const topic = line.slice(0, sp);
      if (topic === probe) {
        probed = true;
        continue;
      }
      // -v does not show the retain flag; the tests that need it use the mqtt.js subscriber.
      messages.push({ topic, payload: line.slice(sp + 1), retain: false });
      w.notify();
    }
  });
  // mosquitto_sub has no "subscribed" signal: publish a probe on a matching topic until it shows up.
  const probeClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
  try {
    const until = Date.now() + 20_000;
    while (!probed) {
      if (Date.now() > until || proc.exitCode !== null) throw new Error(`mosquitto_sub did not subscribe to ${filter} within 20 s`);
      await probeClient.publishAsync(probe, "probe", { qos: 0 });
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await probeClient.endAsync();
  }
  return {
    messages,
    waitFor: w.waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
