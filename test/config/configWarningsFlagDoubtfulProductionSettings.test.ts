import { describe, expect, it } from "vitest";
import { configWarnings } from "../../src/config/configWarnings.js";
import { loadConfig, type DeepPartial } from "../../src/config/loadConfig.js";
import type { LockerConfig } from "../../src/config/LockerConfig.js";

const warn = (overrides: DeepPartial<LockerConfig>) => configWarnings(loadConfig({ env: {}, overrides }));
const production: DeepPartial<LockerConfig> = {
  bus: { transport: "/dev/lockerboard" },
  publicBaseUrl: "https://locker01.centre.example.org",
  dataDir: "/var/lib/lockerd",
  mqtt: { url: "mqtts://broker.centre.example.org:8883" },
};

describe("config warnings flag doubtful production settings", () => {
  it("has nothing to say about the demo or a sound production config", () => {
    expect(warn({})).toEqual([]);
    expect(warn(production)).toEqual([]);
  });

  it("warns about a loopback QR link, no broker, plain MQTT over the network, cheap PIN hashes and read-only paths", () => {
    const w = warn({
      ...production,
      publicBaseUrl: "http://127.0.0.1:8080",
      mqtt: { url: "mqtt://10.0.0.2:1883" },
      pins: { scryptCost: 1024 },
      dataDir: "/etc/lockerd/data",
      log: { level: "debug", pretty: false },
    });
    expect(w).toEqual([
      "publicBaseUrl http://127.0.0.1:8080 points at this machine: residents' phones cannot open the QR link; use the address they can reach",
      "mqtt.url is mqtt:// to another machine: events and the broker password travel unencrypted; use mqtts://",
      "pins.scryptCost 1024 is below the production 16384: PIN hashes are cheaper to crack",
      "log.level debug writes a lot to the SD card; use info once commissioning is done",
      "dataDir /etc/lockerd/data is read-only to the installed service (ProtectSystem=strict); use /var/lib/lockerd or /run/lockerd",
      "http.adminSocket /etc/lockerd/data/admin.sock is read-only to the installed service (ProtectSystem=strict); use /var/lib/lockerd or /run/lockerd",
    ]);
    expect(warn({ ...production, mqtt: { url: "off" } })).toEqual(['mqtt.url is "off": staff get no alerts and commands cannot reach the locker']);
    expect(warn({ ...production, http: { host: "0.0.0.0", trustProxy: true } })[0]).toMatch(/^http\.trustProxy is on/);
  });
});

describe("config warnings about the kiosk's voice", () => {
  it("warns about a recordings folder that is not there and a silent kiosk", () => {
    expect(warn({ kiosk: { voice: { volume: 0, recordingsDir: "/nonexistent/recordings" } } })).toEqual([
      "kiosk.voice.recordingsDir /nonexistent/recordings does not exist: the kiosk plays the default clips (see lockerctl voice list)",
      "kiosk.voice.volume is 0: the kiosk says nothing, and residents who cannot read are left without prompts",
    ]);
    expect(warn({ kiosk: { voice: { volume: 80, recordingsDir: "/tmp" } } })).toEqual([]);
  });
});
