import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import { envKeys, envVarName } from "../../src/config/envOverrides.js";
import { ErrorCode, type LockerError } from "../../src/errors/LockerError.js";

const defaultJson = new URL("../../config/default.json", import.meta.url).pathname;

function problemsFrom(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, file: defaultJson });
  } catch (e) {
    expect((e as LockerError).code).toBe(ErrorCode.Config_Invalid);
    return (e as LockerError).context.problems as string[];
  }
  throw new Error("expected the environment to be refused");
}

describe("LOCKERD_* environment overrides follow the schema", () => {
  it("names variables after the key path: segments UPPER_SNAKE, joined by __", () => {
    expect(envVarName(["mqtt", "url"])).toBe("LOCKERD_MQTT__URL");
    expect(envVarName(["http", "port"])).toBe("LOCKERD_HTTP__PORT");
    expect(envVarName(["log", "level"])).toBe("LOCKERD_LOG__LEVEL");
    expect(envVarName(["bus", "timeouts", "unlockReplyMs"])).toBe("LOCKERD_BUS__TIMEOUTS__UNLOCK_REPLY_MS");
    expect(envVarName(["lockerId"])).toBe("LOCKERD_LOCKER_ID");
    const names = envKeys().map((k) => k.name);
    expect(names).toContain("LOCKERD_MQTT__PASSWORD");
    expect(names).toContain("LOCKERD_COMPARTMENTS");
    expect(new Set(names).size).toBe(names.length);
  });

  it("parses integers, booleans, strings and JSON arrays per the schema type", () => {
    const c = loadConfig({
      env: {
        LOCKERD_HTTP__PORT: "9090",
        LOCKERD_HTTP__TRUST_PROXY: "yes",
        LOCKERD_LOG__LEVEL: "debug",
        LOCKERD_LOG__PRETTY: "0",
        LOCKERD_MQTT__URL: "mqtt://broker.local:1883",
        LOCKERD_MQTT__USERNAME: "centre-7",
        LOCKERD_MQTT__PASSWORD: "s3cret",
        LOCKERD_BUS__TIMEOUTS__UNLOCK_REPLY_MS: "2500",
        LOCKERD_MATTERS: JSON.stringify([{ id: "tax", label: { "zh-CN": "税务" } }]),
        PATH: "/usr/bin",
      },
    });
    expect(c.http.port).toBe(9090);
    expect(c.http.trustProxy).toBe(true);
    expect(c.log).toEqual({ level: "debug", pretty: false });
    expect(c.mqtt.url).toBe("mqtt://broker.local:1883");
    expect(c.mqtt.password).toBe("s3cret");
    expect(c.bus.timeouts.unlockReplyMs).toBe(2500);
    expect(c.bus.timeouts.queryReplyMs).toBe(400);
    expect(c.matters.map((m) => m.id)).toEqual(["tax"]);
  });

  it("environment wins over the file, overrides win over the environment", () => {
    const c = loadConfig({ env: { LOCKERD_HTTP__PORT: "9090", LOCKERD_KIOSK__IDLE_TIMEOUT_MS: "30000" }, overrides: { http: { port: 0 } } });
    expect(c.http.port).toBe(0);
    expect(c.kiosk.idleTimeoutMs).toBe(30_000);
  });

  it("refuses unparsable values, names the variable, and still reports the rest", () => {
    const problems = problemsFrom({
      LOCKERD_HTTP__PORT: "eighty",
      LOCKERD_HTTP__TRUST_PROXY: "maybe",
      LOCKERD_COMPARTMENTS: "[{",
      LOCKERD_BUS__TIMEOUTS__QUERY_REPLY_MS: "10",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'LOCKERD_HTTP__PORT must be an integer (got "eighty")',
        'LOCKERD_HTTP__TRUST_PROXY must be true or false (got "maybe")',
        expect.stringMatching(/^LOCKERD_COMPARTMENTS must be JSON/),
        "bus.timeouts.queryReplyMs must be >= 50 (got 10) (from LOCKERD_BUS__TIMEOUTS__QUERY_REPLY_MS)",
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("refuses an unknown LOCKERD_ variable with a suggestion, but leaves LOCKERD_CONFIG and LOCKERD_ADMIN_SOCKET alone", () => {
    expect(problemsFrom({ LOCKERD_MQTT__URLL: "off", LOCKERD_CONFIG: "/etc/lockerd/config.json", LOCKERD_ADMIN_SOCKET: "/run/x.sock" })).toEqual([
      "LOCKERD_MQTT__URLL is not a known setting (did you mean LOCKERD_MQTT__URL?)",
    ]);
  });
});
