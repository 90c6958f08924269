/**
 * Checks the `mqtt` section (and the locker id it builds topics from) and
 * returns every problem at once, each saying which field and what to write.
 */
import fs from "node:fs";
import type { LockerConfig } from "../config/LockerConfig.js";

const TOPIC_LEVEL = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** Human-readable problems; empty when the section is usable. */
export function validateMqttConfig(config: LockerConfig): string[] {
  const m = config.mqtt;
  const errs: string[] = [];
  const range = (name: string, v: unknown, min: number, max: number) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) errs.push(`mqtt.${name} must be an integer ${min}–${max} (got ${JSON.stringify(v)})`);
  };
  if (!/^[a-z0-9-]{1,32}$/.test(config.lockerId))
    errs.push(`lockerId must be 1–32 of a-z 0-9 - (it is the MQTT client id and topic level), got ${JSON.stringify(config.lockerId)}`);
  if (m.url !== "embedded" && m.url !== "off") {
    let u: URL | undefined;
    try {
      u = new URL(m.url);
    } catch {
      errs.push(`mqtt.url must be "embedded", "off", mqtt://host:port or mqtts://host:port (got ${JSON.stringify(m.url)})`);
    }
    if (u && u.protocol !== "mqtt:" && u.protocol !== "mqtts:") errs.push(`mqtt.url scheme must be mqtt:// or mqtts:// (got ${u.protocol}//)`);
    if (u && !u.hostname) errs.push("mqtt.url has no host");
    if (u && u.protocol === "mqtt:" && (m.caFile || m.certFile || m.keyFile)) errs.push("mqtt.caFile/certFile/keyFile are set but mqtt.url is mqtt://; use mqtts:// for TLS");
  }
  for (const f of ["caFile", "certFile", "keyFile"] as const) {
    const p = m[f];
    if (p !== undefined && !isReadable(p)) errs.push(`mqtt.${f}: cannot read ${p}`);
  }
  if ((m.certFile === undefined) !== (m.keyFile === undefined)) errs.push("mqtt.certFile and mqtt.keyFile go together (client certificate and its key)");
  if (m.password !== undefined && m.username === undefined) errs.push("mqtt.password is set without mqtt.username");
  if (typeof m.prefix !== "string" || !TOPIC_LEVEL.test(m.prefix))
    errs.push(`mqtt.prefix must be topic levels of A-Z a-z 0-9 _ - separated by / (no wildcards), got ${JSON.stringify(m.prefix)}`);
  range("embeddedPort", m.embeddedPort, 0, 65535);
  range("reconnectPeriodMs", m.reconnectPeriodMs, 100, 60_000);
  range("reconnectMaxMs", m.reconnectMaxMs, typeof m.reconnectPeriodMs === "number" ? m.reconnectPeriodMs : 100, 600_000);
  if (m.protocolVersion !== 4 && m.protocolVersion !== 5) errs.push(`mqtt.protocolVersion must be 4 or 5 (got ${JSON.stringify(m.protocolVersion)})`);
  range("commands.windowSeconds", m.commands?.windowSeconds, 5, 3600);
  range("commands.maxOpensPerHour", m.commands?.maxOpensPerHour, 0, 1000);
  range("backlogAlarm", m.backlogAlarm, 1, 1_000_000);
  return errs;
}

function isReadable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
