/**
 * Settings that are valid but probably not what a production locker wants.
 * `lockerctl config check` prints them (exit code unchanged); the daemon may
 * log them at start. The demo (bus.transport = "sim") gets none of the
 * production-only warnings.
 */
import fs from "node:fs";
import type { LockerConfig } from "./LockerConfig.js";
import { exposureWarnings } from "./exposureWarnings.js";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Under the unit's ProtectSystem=strict these are read-only to the daemon. */
const READ_ONLY_UNDER_SYSTEMD = ["/etc/", "/opt/", "/usr/", "/boot/"];

/** One sentence per doubtful setting; empty when none. */
export function configWarnings(c: LockerConfig): string[] {
  const out: string[] = [];
  const production = c.bus.transport !== "sim";
  if (production && LOOPBACK.test(new URL(c.publicBaseUrl).hostname)) {
    out.push(`publicBaseUrl ${c.publicBaseUrl} points at this machine: residents' phones cannot open the QR link; use the address they can reach`);
  }
  if (production && c.mqtt.url === "off") out.push('mqtt.url is "off": staff get no alerts and commands cannot reach the locker');
  if (production && c.mqtt.url === "embedded") out.push('mqtt.url is "embedded": staff must connect to this locker\'s own broker; a site broker is usual');
  if (c.mqtt.url.startsWith("mqtt://") && !LOOPBACK.test(new URL(c.mqtt.url).hostname)) {
    out.push("mqtt.url is mqtt:// to another machine: events and the broker password travel unencrypted; use mqtts://");
  }
  if (c.mqtt.url === "embedded" && !LOOPBACK.test(c.mqtt.embeddedHost)) {
    out.push(
      `mqtt.embeddedHost ${c.mqtt.embeddedHost} exposes the embedded broker on the network without TLS: passwords, events and commands travel in clear; keep it on 127.0.0.1 or use a site broker over mqtts://`,
    );
  }
  for (const ch of c.notify?.channels ?? []) {
    if (ch.kind === "webhook" && ch.url?.startsWith("http://") && !LOOPBACK.test(new URL(ch.url).hostname)) {
      out.push(
        `notify channel ${ch.id}: the webhook is http:// to another machine: events${ch.includePhone ? " and residents' full phones" : ""} travel unencrypted; use https://`,
      );
    }
  }
  if (c.pins.scryptCost < 16_384) out.push(`pins.scryptCost ${c.pins.scryptCost} is below the production 16384: PIN hashes are cheaper to crack`);
  if (c.http.trustProxy && (c.http.host === "0.0.0.0" || c.http.host === "::")) {
    out.push("http.trustProxy is on while the pages listen on every interface: without a proxy in front, clients can fake their address and dodge the rate limit");
  }
  const rec = c.kiosk.voice.recordingsDir;
  if (rec !== undefined && !fs.existsSync(rec)) out.push(`kiosk.voice.recordingsDir ${rec} does not exist: the kiosk plays the default clips (see lockerctl voice list)`);
  if (c.kiosk.voice.volume === 0) out.push("kiosk.voice.volume is 0: the kiosk says nothing, and residents who cannot read are left without prompts");
  if (production && (c.log.level === "debug" || c.log.level === "trace")) out.push(`log.level ${c.log.level} writes a lot to the SD card; use info once commissioning is done`);
  for (const [key, p] of [
    ["dataDir", c.dataDir],
    ["http.adminSocket", c.http.adminSocket],
  ] as const) {
    if (READ_ONLY_UNDER_SYSTEMD.some((dir) => p.startsWith(dir))) {
      out.push(`${key} ${p} is read-only to the installed service (ProtectSystem=strict); use /var/lib/lockerd or /run/lockerd`);
    }
  }
  out.push(...exposureWarnings(c));
  return out;
}
