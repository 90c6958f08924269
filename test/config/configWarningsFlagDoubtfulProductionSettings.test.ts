import { describe, expect, it } from "vitest";
import { configWarnings } from "../../src/config/configWarnings.js";
import { loadConfig, type DeepPartial } from "../../src/config/loadConfig.js";
import type { LockerConfig } from "../../src/config/LockerConfig.js";

const warn = (overrides: DeepPartial<LockerConfig>) => configWarnings(loadConfig({ env: {}, overrides }));
/** Warnings for a production config with these top-level and http values (the certificate files need not exist: warnings come after validation). */
const configWarningsOf = (o: { publicBaseUrl?: string; http?: Partial<LockerConfig["http"]> }) => {
  const base = loadConfig({ env: {}, overrides: { ...production, http: {} } });
  return configWarnings({ ...base, ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl } : {}), http: { ...base.http, ...o.http } });
};
const production: DeepPartial<LockerConfig> = {
  bus: { transport: "/dev/lockerboard" },
  publicBaseUrl: "https://locker01.centre.example.org",
  dataDir: "/var/lib/lockerd",
  mqtt: { url: "mqtts://broker.centre.example.org:8883" },
  // Layout (b) of config/DEPLOY-REMOTE.md: a TLS reverse proxy on this machine.
  http: { host: "127.0.0.1", trustProxy: true },
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

  it("warns about ways residents' phones cannot reach the pages, or reach them in clear (issue 12)", () => {
    const onlyLoopback = warn({ ...production, http: { host: "127.0.0.1", trustProxy: false } });
    expect(onlyLoopback).toEqual([
      expect.stringMatching(/^publicBaseUrl is https:\/\/locker01\.centre\.example\.org but the pages listen only on 127\.0\.0\.1 with no proxy trusted: phones cannot reach them/),
    ]);

    const plainOnNetwork = warn({ ...production, publicBaseUrl: "http://192.168.1.20:8080", http: { host: "0.0.0.0", port: 8080, trustProxy: false } });
    expect(plainOnNetwork).toEqual([
      "publicBaseUrl http://192.168.1.20:8080 is plain HTTP to a network address: PINs and staff codes travel in clear on the network; use https:// (http.certFile/keyFile, or a TLS proxy)",
      "the pages listen on 0.0.0.0 in plain HTTP: set http.certFile and http.keyFile so phones and staff use HTTPS",
    ]);

    const httpsNoCert = warn({ ...production, http: { host: "0.0.0.0", trustProxy: false } });
    expect(httpsNoCert[0]).toMatch(/^publicBaseUrl is https:\/\/ but lockerd serves plain HTTP on 0\.0\.0\.0 and trusts no proxy/);

    // Layout (a) done right: own certificate, network address, matching port: nothing to say.
    const own = { certFile: "/etc/lockerd/tls/locker.crt", keyFile: "/etc/lockerd/tls/locker.key" };
    const layoutA = { publicBaseUrl: "https://locker01.centre.example.org:8443", http: { host: "0.0.0.0", port: 8443, trustProxy: false, ...own } };
    expect(configWarningsOf(layoutA)).toEqual([]);
    expect(configWarningsOf({ ...layoutA, publicBaseUrl: "https://locker01.centre.example.org:9443" })).toEqual([
      "publicBaseUrl names port 9443 but the pages listen on 8443 with no proxy in between: the QR link would miss them (port forwarding on the router is fine if it maps 9443 to 8443)",
    ]);
    expect(configWarningsOf({ ...layoutA, publicBaseUrl: "http://locker01.centre.example.org:8443" })).toContain(
      "http.certFile/keyFile make the pages HTTPS but publicBaseUrl is http://: the QR link would not open; make it https://",
    );
    expect(configWarningsOf({ ...layoutA, http: { ...layoutA.http, host: "127.0.0.1", trustProxy: true } })).toContain(
      "http.certFile/keyFile and http.trustProxy are both set: behind a TLS proxy lockerd needs no certificate of its own (the proxy terminates TLS); keep one",
    );
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
