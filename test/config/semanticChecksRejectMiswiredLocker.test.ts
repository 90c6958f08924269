import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, type DeepPartial } from "../../src/config/loadConfig.js";
import type { LockerConfig, CompartmentConfig } from "../../src/config/LockerConfig.js";
import type { LockerError } from "../../src/errors/LockerError.js";

function problemsOf(overrides: DeepPartial<LockerConfig>): string[] {
  try {
    loadConfig({ env: {}, overrides });
    return [];
  } catch (e) {
    return (e as LockerError).context.problems as string[];
  }
}

const door = (number: number, board: number, channel: number, row: number, column: number): CompartmentConfig => ({
  number,
  board,
  channel,
  size: "M",
  row,
  column,
});

describe("cross-field checks reject a mis-wired locker", () => {
  it("finds duplicate numbers, unknown boards, channels past the board, shared wiring and cells", () => {
    const problems = problemsOf({
      compartments: [door(1, 1, 1, 1, 1), door(1, 1, 2, 1, 2), door(3, 2, 1, 1, 3), door(4, 1, 9, 2, 1), door(5, 1, 1, 2, 2), door(6, 1, 6, 2, 2)],
    });
    expect(problems).toEqual([
      "compartments[1] number 1 is already used by compartments[0]",
      "compartments[2].board 2 is not in bus.boards (addresses: 1)",
      "compartments[3].channel must be <= 8, the channel count of board 1 (got 9)",
      "compartments[4] board 1 channel 1 is already used by compartments[0]",
      "compartments[5] position row 2 column 2 is already used by compartments[4]",
    ]);
  });

  it("keeps doors inside the kiosk grid", () => {
    expect(problemsOf({ compartments: [door(1, 1, 1, 3, 1), door(2, 1, 2, 1, 4)] })).toEqual([
      "compartments[0].row must be <= kiosk.rows 2 (got 3)",
      "compartments[1].column must be <= kiosk.columns 3 (got 4)",
    ]);
  });

  it("wants unique board addresses and matter ids", () => {
    const b = { address: 1, channels: 8, feedback: "closedWhenLocked", statusByteOrder: "lastByteFirstChannels" } as const;
    expect(problemsOf({ bus: { boards: [b, b] } })).toEqual(["bus.boards[1].address 1 is already used by bus.boards[0]"]);
    const m = { id: "tax", label: { "zh-CN": "税务" } };
    expect(problemsOf({ matters: [m, m] })).toEqual(['matters[1].id "tax" is already used by matters[0]']);
  });

  it("accepts sim, /dev paths and tcp://host:port transports and refuses others", () => {
    for (const ok of ["sim", "/dev/ttyUSB0", "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0", "tcp://10.0.0.5:4196", "/tmp/lockerd-sim/board"]) {
      expect(problemsOf({ bus: { transport: ok } })).toEqual([]);
    }
    for (const bad of ["COM3", "ttyUSB0", "tcp://10.0.0.5", "udp://10.0.0.5:4196"]) {
      expect(problemsOf({ bus: { transport: bad } })).toEqual([
        `bus.transport must be "sim", an absolute serial device path (/dev/ttyUSB0, a udev or socat link) or tcp://host:port (got "${bad}")`,
      ]);
    }
  });

  it("wants an http(s) publicBaseUrl and a known broker url", () => {
    expect(problemsOf({ publicBaseUrl: "locker.local:8080" })[0]).toMatch(/^publicBaseUrl must be an http:\/\/ or https:\/\/ URL/);
    expect(problemsOf({ publicBaseUrl: "https://locker.example.org/base" })).toEqual([]);
    expect(problemsOf({ mqtt: { url: "tcp://broker:1883" } })[0]).toMatch(/^mqtt\.url must be "embedded", "off", mqtt:\/\/host:port/);
    expect(problemsOf({ mqtt: { url: "off" } })).toEqual([]);
  });

  it("checks the TLS files exist, go with mqtts://, and credentials come in pairs", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-tls-"));
    try {
      fs.writeFileSync(path.join(dir, "ca.pem"), "x");
      const missing = path.join(dir, "client.pem");
      expect(problemsOf({ mqtt: { url: "mqtts://broker:8883", caFile: path.join(dir, "ca.pem"), certFile: missing } })).toEqual([
        `mqtt.certFile ${missing} does not exist`,
        "mqtt.certFile and mqtt.keyFile go together: set both for a client certificate, or neither",
      ]);
      expect(problemsOf({ mqtt: { url: "mqtts://broker:8883", caFile: path.join(dir, "ca.pem") } })).toEqual([]);
      expect(problemsOf({ mqtt: { url: "mqtt://broker:1883", caFile: path.join(dir, "ca.pem") } })).toEqual([
        "mqtt.caFile is set but mqtt.url is mqtt://; use mqtts:// for TLS, or remove them",
      ]);
      expect(problemsOf({ mqtt: { url: "mqtt://broker:1883", password: "x" } })).toEqual(["mqtt.password is set without mqtt.username"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps paired limits in order and scrypt cost a power of two", () => {
    expect(problemsOf({ bus: { reconnect: { minDelayMs: 5000, maxDelayMs: 1000 } } })).toEqual(["bus.reconnect.minDelayMs must be <= bus.reconnect.maxDelayMs 1000 (got 5000)"]);
    expect(problemsOf({ pins: { baseLockoutMs: 7_200_000 } })).toEqual(["pins.baseLockoutMs must be <= pins.maxLockoutMs 3600000 (got 7200000)"]);
    expect(problemsOf({ rules: { qrRotateMs: 180_000 } })).toEqual(["rules.qrRotateMs must be <= rules.tokenTtlMs 120000 (got 180000)"]);
    expect(problemsOf({ pins: { scryptCost: 10_000 } })).toEqual(["pins.scryptCost must be a power of two, e.g. 16384 (got 10000)"]);
    expect(problemsOf({ http: { port: 1883 } })).toEqual(["mqtt.embeddedPort 1883 is also http.port; give them different ports"]);
    expect(problemsOf({ simulator: { controlPort: 8080 } })).toEqual(["simulator.controlPort 8080 is also http.port; give them different ports"]);
    expect(problemsOf({ bus: { transport: "/dev/ttyUSB0" }, simulator: { controlPort: 8080 } })).toEqual([]);
    expect(problemsOf({ http: { port: 0 }, mqtt: { embeddedPort: 0 }, simulator: { controlPort: 0 } })).toEqual([]);
  });

  it("refuses an admin socket path longer than a unix socket allows", () => {
    expect(problemsOf({ http: { adminSocket: "/tmp/" + "x".repeat(120) + ".sock" } })[0]).toMatch(/^http\.adminSocket must be at most 107 bytes/);
  });
});
