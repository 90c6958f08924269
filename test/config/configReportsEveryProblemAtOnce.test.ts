import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import { ErrorCode, isLockerError, type LockerError } from "../../src/errors/LockerError.js";
import type { DeepPartial } from "../../src/config/loadConfig.js";
import type { LockerConfig } from "../../src/config/LockerConfig.js";

/** Load with overrides only (no file, no environment) and return the problems reported. */
function problemsOf(overrides: DeepPartial<LockerConfig> | Record<string, unknown>): string[] {
  try {
    loadConfig({ env: {}, overrides: overrides as DeepPartial<LockerConfig> });
  } catch (e) {
    expect(isLockerError(e, ErrorCode.Config_Invalid)).toBe(true);
    const err = e as LockerError;
    const problems = err.context.problems as string[];
    for (const p of problems) expect(err.message).toContain(p);
    return problems;
  }
  return [];
}

describe("config validation reports every problem at once", () => {
  it("reports all three mistakes of a config with three mistakes, in one Config_Invalid error", () => {
    const problems = problemsOf({
      bus: { timeouts: { unlockReplyMs: 200 } },
      http: { port: 70_000 },
      log: { level: "verbose" },
    } as Record<string, unknown>);
    expect(problems).toEqual(
      expect.arrayContaining([
        "bus.timeouts.unlockReplyMs must be >= 1500 (got 200)",
        "http.port must be <= 65535 (got 70000)",
        'log.level must be one of "fatal", "error", "warn", "info", "debug", "trace" (got "verbose")',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("accepts the built-in defaults", () => {
    expect(problemsOf({})).toEqual([]);
  });

  it("names a wrong type with what is allowed", () => {
    expect(problemsOf({ http: { port: "8080" } } as Record<string, unknown>)).toEqual(['http.port must be a whole number (got "8080")']);
    expect(problemsOf({ http: { trustProxy: "yes" } } as Record<string, unknown>)).toEqual(['http.trustProxy must be true or false (got "yes")']);
    expect(problemsOf({ kiosk: { rows: 2.5 } } as Record<string, unknown>)[0]).toBe("kiosk.rows must be a whole number (no fractions) (got 2.5)");
  });

  it("rejects unknown keys and suggests the close one", () => {
    const [p] = problemsOf({ bus: { timeouts: { unlockReplyMS: 3000 } } } as Record<string, unknown>);
    expect(p).toMatch(/^bus\.timeouts\.unlockReplyMS is not a known key \(did you mean unlockReplyMs\?\); allowed here: unlockReplyMs, queryReplyMs/);
    expect(problemsOf({ colour: "red" } as Record<string, unknown>)[0]).toMatch(/^colour is not a known key; allowed here: lockerId/);
  });

  it("reports missing keys inside array items with their index", () => {
    const problems = problemsOf({ compartments: [{ number: 1, board: 1, channel: 1, size: "S", column: 1 }] } as Record<string, unknown>);
    expect(problems).toEqual(["compartments[0].row is required"]);
  });

  it("reports patterns, empty strings and list sizes", () => {
    expect(problemsOf({ lockerId: "Demo Locker" })).toEqual(['lockerId must match ^[a-z0-9-]{1,32}$ (got "Demo Locker")']);
    expect(problemsOf({ displayName: "" })).toEqual(["displayName must not be empty"]);
    expect(problemsOf({ matters: [] })).toEqual(["matters must list at least 1 item(s) (got 0)"]);
    expect(problemsOf({ mqtt: { prefix: "lockers/#" } })[0]).toMatch(/^mqtt\.prefix must match/);
  });

  it("reports range errors below and above", () => {
    expect(problemsOf({ bus: { boards: [{ address: 0, channels: 65, feedback: "closedWhenLocked", statusByteOrder: "lastByteFirstChannels" }] } })).toEqual(
      expect.arrayContaining(["bus.boards[0].address 0 is out of range: 8A/80 DIP addresses are 1-31", "bus.boards[0].channels must be <= 64 (got 65)"]),
    );
  });

  it("returns a deep-frozen config", () => {
    const c = loadConfig({ env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.bus.timeouts)).toBe(true);
    expect(Object.isFrozen(c.compartments[0])).toBe(true);
    expect(() => {
      (c.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
