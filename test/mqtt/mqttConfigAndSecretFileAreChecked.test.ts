/**
 * Config and secret are checked before anything connects: every problem in
 * the mqtt section is reported at once, with the field name; the command
 * secret is created 0600 at first start, kept across starts, and a secret
 * that others can read (or a short one) is refused with what to do.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { ErrorCode, LockerError } from "../../src/errors/LockerError.js";
import { DomainEvents } from "../../src/locker/events.js";
import { loadCommandSecret } from "../../src/mqtt/commandSecret.js";
import { MqttService } from "../../src/mqtt/MqttService.js";
import { validateMqttConfig } from "../../src/mqtt/validateMqttConfig.js";
import { systemClock } from "../../src/util/clock.js";
import { MemoryOutbox, recordingLocker, tempStore, testLog } from "./helpers/fakes.js";

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-secret-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("mqtt config", () => {
  it("accepts the defaults", () => {
    expect(validateMqttConfig(defaultConfig())).toEqual([]);
  });

  it("reports every problem at once, naming the field", () => {
    const c = defaultConfig();
    c.lockerId = "Locker One";
    c.mqtt = {
      ...c.mqtt,
      url: "mqtt://broker:1883",
      caFile: "/nonexistent/ca.pem",
      certFile: "/nonexistent/c.pem",
      prefix: "lockers/#",
      protocolVersion: 3 as 5,
      commands: { windowSeconds: 0, maxOpensPerHour: -1 },
      password: "x",
    };
    const errs = validateMqttConfig(c);
    for (const frag of [
      "lockerId",
      "use mqtts://",
      "mqtt.caFile: cannot read",
      "certFile and mqtt.keyFile go together",
      "mqtt.prefix",
      "mqtt.protocolVersion",
      "commands.windowSeconds",
      "commands.maxOpensPerHour",
      "password is set without mqtt.username",
    ]) {
      expect(errs.join("\n")).toContain(frag);
    }
  });

  it("rejects a URL that is not mqtt:// or mqtts://", () => {
    const c = defaultConfig();
    c.mqtt.url = "http://broker";
    expect(validateMqttConfig(c).join()).toContain("scheme must be mqtt:// or mqtts://");
  });

  it("MqttService refuses to construct with an invalid config (Config_Invalid listing all problems)", () => {
    const c = defaultConfig();
    c.mqtt.url = "nonsense";
    c.mqtt.backlogAlarm = 0;
    const store = tempStore();
    try {
      const events = new DomainEvents();
      const make = () =>
        new MqttService({ config: c, version: "t", events, outbox: new MemoryOutbox(events), locker: recordingLocker([1]), db: store.db, log: testLog(), clock: systemClock });
      expect(make).toThrow(LockerError);
      try {
        make();
      } catch (err) {
        expect((err as LockerError).code).toBe(ErrorCode.Config_Invalid);
        expect((err as LockerError).message).toMatch(/mqtt\.url[\s\S]*mqtt\.backlogAlarm/);
      }
    } finally {
      store.close();
    }
  });
});

describe("command secret file", () => {
  it("is created with 32 random bytes in hex, mode 0600, and read back unchanged", () => {
    const file = path.join(tmp(), "sub", "mqtt-command-secret");
    const s1 = loadCommandSecret(file);
    expect(s1).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadCommandSecret(file)).toBe(s1);
  });

  it("refuses a secret others can read, saying how to fix it", () => {
    const file = path.join(tmp(), "secret");
    fs.writeFileSync(file, "x".repeat(40), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => loadCommandSecret(file)).toThrow(/readable by others.*chmod 600/);
  });

  it("refuses a short secret and a missing configured one", () => {
    const file = path.join(tmp(), "secret");
    fs.writeFileSync(file, "short", { mode: 0o600 });
    expect(() => loadCommandSecret(file)).toThrow(/too short/);
    expect(() => loadCommandSecret(path.join(tmp(), "none"), false)).toThrow(/does not exist/);
  });
});
