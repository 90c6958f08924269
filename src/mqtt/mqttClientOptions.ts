/**
 * How the locker's MQTT client connects: keepalive, backoff start, TLS and
 * credentials, the retained offline will; and small helpers of the service.
 */
import fs from "node:fs";
import type { IClientOptions, MqttClient } from "mqtt";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { StatusPayload } from "./topics.js";

/** MQTT keepalive, seconds (see clientOptions). */
export const KEEPALIVE_S = 5;

/** Largest event payload published, bytes: real events are under 2 KB; many brokers cap packets at 256 KB. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** Small QoS 1 frames must not wait for Nagle (up to 40 ms with delayed ACKs). */
export function noDelay(client: MqttClient): void {
  (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

export function mqttClientOptions(config: LockerConfig, version: string, statusTopic: string, protocolVersion: 4 | 5): IClientOptions {
  const m = config.mqtt;
  const will: StatusPayload = { state: "offline", lockerId: config.lockerId, version, reason: "connection lost" };
  return {
    clientId: config.lockerId,
    protocolVersion,
    clean: true,
    // A half-open link (router rebooted, cable cut upstream) shows only as missing PINGRESPs:
    // mqtt.js pings after KEEPALIVE_S quiet and drops the link when the answer has not come by
    // the next check, so it is noticed within about 2 × 5 s (goal: 15 s).
    keepalive: KEEPALIVE_S,
    connectTimeout: 10_000,
    reconnectPeriod: m.reconnectPeriodMs,
    resubscribe: false,
    // A refused CONNECT (bad credentials, broker's auth backend down) is retried with backoff too:
    // the fix usually happens on the broker side, and the locker must pick it up by itself.
    reconnectOnConnackError: true,
    // mqtt-packet otherwise pre-builds a Buffer for each of the 65,536 packet
    // ids on the first write (~6 MB of heap); a locker sends a few packets a
    // minute, so building the 2 bytes per packet costs nothing.
    writeCache: false,
    username: m.username,
    password: m.password,
    ca: m.caFile ? fs.readFileSync(m.caFile) : undefined,
    cert: m.certFile ? fs.readFileSync(m.certFile) : undefined,
    key: m.keyFile ? fs.readFileSync(m.keyFile) : undefined,
    will: { topic: statusTopic, payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
  };
}
