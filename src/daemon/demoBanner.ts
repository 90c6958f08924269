/**
 * What `npm start` prints once the demo locker is up: where to look and how
 * to play every role (resident, staff, technician, simulated door).
 */
import type { Daemon } from "./Daemon.js";

const DEMO_STAFF_NAME = "演示员工 demo";

/** Create a fresh demo staff code (revoking the previous demo one) and print the guide. */
export async function printDemoBanner(daemon: Daemon): Promise<void> {
  for (const m of daemon.staff.list()) if (m.name === DEMO_STAFF_NAME && !m.revokedAt) daemon.staff.revoke(m.id);
  const { code } = await daemon.staff.add(DEMO_STAFF_NAME);
  const c = daemon.config;
  const url = daemon.publicUrl.replace("0.0.0.0", "127.0.0.1");
  const mqttUrl = daemon.mqtt.status().url;
  const sim = daemon.simulator?.controlUrl;
  const lines = [
    "",
    "  lockerd demo locker is running",
    "  ------------------------------",
    `  Kiosk screen (open full screen):  ${daemon.kioskUrl}/kiosk     (its own listener: only it gets the QR)`,
    `  Staff page:                       ${url}/staff     staff code: ${code}`,
    `  Health / metrics / API:           ${url}/readyz  ${url}/metrics  ${url}/openapi.json`,
    `  Staff alerts (MQTT):              mosquitto_sub -L '${mqttUrl}/${c.mqtt.prefix}/#' -v`,
    `  Technician CLI:                   npm run lockerctl -- --socket ${c.http.adminSocket} status`,
  ];
  if (sim) {
    lines.push(
      `  Simulated doors (${sim}):`,
      `    open door 3 by hand:  curl -X POST ${sim}/door -d '{"board":1,"channel":3,"action":"open"}'`,
      `    close it:             curl -X POST ${sim}/door -d '{"board":1,"channel":3,"action":"close"}'`,
      `    jam door 2's lock:    curl -X POST ${sim}/behaviour -d '{"board":1,"channel":2,"behaviour":"jammed"}'`,
      `  Simulated residents open a door ${c.simulator.openAfterMs} ms after it unlocks and close it ${c.simulator.closeAfterMs} ms later.`,
    );
  }
  lines.push(`  Data: ${c.dataDir}    Stop: Ctrl-C`, "");
  process.stdout.write(lines.join("\n") + "\n");
}
