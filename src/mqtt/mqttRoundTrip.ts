/**
 * `lockerctl mqtt-check`: connect to a broker as a separate client (never
 * the locker's own client id, which would kick the daemon off), publish on a
 * private test topic and time each message back. Pure I/O, no daemon needed.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import mqtt, { type IClientOptions } from "mqtt";
import type { MqttConfig } from "../config/LockerConfig.js";
import { withTimeout } from "./withTimeout.js";

export interface RoundTripReport {
  url: string;
  /** ms to CONNACK. */
  connectMs: number;
  /** Each round trip (publish QoS 1 → delivered back), ms. */
  roundTripsMs: number[];
  topic: string;
}

/** The broker URL a client should use for this config ("embedded" → the embedded listener). */
export function brokerUrl(m: MqttConfig): string {
  if (m.url === "embedded") return `mqtt://${m.embeddedHost}:${m.embeddedPort}`;
  return m.url;
}

/** Credentials and TLS files from config, as mqtt.js options. */
export function authOptions(m: MqttConfig): Pick<IClientOptions, "username" | "password" | "ca" | "cert" | "key"> {
  return {
    username: m.username,
    password: m.password,
    ca: m.caFile ? fs.readFileSync(m.caFile) : undefined,
    cert: m.certFile ? fs.readFileSync(m.certFile) : undefined,
    key: m.keyFile ? fs.readFileSync(m.keyFile) : undefined,
  };
}

/**
 * Connect, then `count` times publish on `<base>/check/<random>` and wait for
 * it to come back. Rejects with a message naming the broker and the step.
 */
export async function mqttRoundTrip(opts: {
  url: string;
  base: string;
  count: number;
  timeoutMs: number;
  protocolVersion: 4 | 5;
  client?: Partial<IClientOptions>;
}): Promise<RoundTripReport> {
  const topic = `${opts.base}/check/${randomUUID().slice(0, 8)}`;
  const t0 = performance.now();
  let client: mqtt.MqttClient;
  try {
    client = await withTimeout(
      mqtt.connectAsync(opts.url, {
        clientId: `lockerctl-${randomUUID().slice(0, 8)}`,
        protocolVersion: opts.protocolVersion,
        reconnectPeriod: 0,
        connectTimeout: opts.timeoutMs,
        ...opts.client,
      }),
      opts.timeoutMs,
      `connecting to ${opts.url}`,
    );
  } catch (err) {
    throw new Error(`cannot connect to ${opts.url}: ${(err as Error).message}`);
  }
  const connectMs = performance.now() - t0;
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  try {
    await withTimeout(client.subscribeAsync(topic, { qos: 1 }), opts.timeoutMs, "subscribing to the test topic");
    const roundTripsMs: number[] = [];
    for (let i = 0; i < opts.count; i++) {
      const token = `${i}:${randomUUID()}`;
      const back = new Promise<void>((resolve) => {
        const on = (t: string, p: Buffer) => {
          if (t === topic && p.toString() === token) {
            client.off("message", on);
            resolve();
          }
        };
        client.on("message", on);
      });
      const start = performance.now();
      await client.publishAsync(topic, token, { qos: 1 });
      await withTimeout(back, opts.timeoutMs, `waiting for test message ${i + 1} to come back (is publishing to ${opts.base}/check/# allowed for this user?)`);
      roundTripsMs.push(performance.now() - start);
    }
    return { url: opts.url, connectMs, roundTripsMs, topic };
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
}
