import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import { ErrorCode, isLockerError } from "../../src/errors/LockerError.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-cfg-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (isLockerError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe("a config file merges over the defaults and its relative paths resolve against its folder", () => {
  it("merges objects key by key and replaces arrays whole", () => {
    const file = write("config.json", {
      $schema: "./lockerd.schema.json",
      lockerId: "centre-7",
      bus: { timeouts: { pollIntervalMs: 100 } },
      compartments: [{ number: 1, board: 1, channel: 1, size: "S", row: 1, column: 1 }],
    });
    const c = loadConfig({ file, env: {} });
    expect(c.lockerId).toBe("centre-7");
    expect(c.bus.timeouts.pollIntervalMs).toBe(100);
    expect(c.bus.timeouts.unlockReplyMs).toBe(2000);
    expect(c.compartments).toHaveLength(1);
    expect(c.matters).toHaveLength(5);
  });

  it("resolves relative dataDir, adminSocket and TLS files against the file's folder; adminSocket follows dataDir", () => {
    fs.mkdirSync(path.join(dir, "tls"));
    fs.writeFileSync(path.join(dir, "tls", "ca.pem"), "x");
    const file = write("config.json", { dataDir: "state", mqtt: { url: "mqtts://broker:8883", caFile: "tls/ca.pem" } });
    const c = loadConfig({ file, env: {}, cwd: "/" });
    expect(c.dataDir).toBe(path.join(dir, "state"));
    expect(c.http.adminSocket).toBe(path.join(dir, "state", "admin.sock"));
    expect(c.mqtt.caFile).toBe(path.join(dir, "tls", "ca.pem"));

    const explicit = loadConfig({ file: write("b.json", { http: { adminSocket: "run/a.sock" } }), env: {} });
    expect(explicit.http.adminSocket).toBe(path.join(dir, "run", "a.sock"));
  });

  it("resolves against the working directory when there is no file", () => {
    const c = loadConfig({ env: {}, cwd: dir });
    expect(c.dataDir).toBe(path.join(dir, "data"));
    expect(c.http.adminSocket).toBe(path.join(dir, "data", "admin.sock"));
    expect(loadConfig({ env: {}, cwd: dir, overrides: { dataDir: "/var/lib/lockerd" } }).http.adminSocket).toBe("/var/lib/lockerd/admin.sock");
  });

  it("reads the file named by LOCKERD_CONFIG when no file is given", () => {
    const file = write("site.json", { lockerId: "from-env-file" });
    expect(loadConfig({ env: { LOCKERD_CONFIG: file } }).lockerId).toBe("from-env-file");
    expect(loadConfig({ env: { LOCKERD_CONFIG: file }, file: write("other.json", { lockerId: "given" }) }).lockerId).toBe("given");
    expect(loadConfig({ env: {} }).lockerId).toBe("demo-locker");
  });

  it("says which file is missing, unreadable or not JSON", () => {
    expect(codeOf(() => loadConfig({ file: path.join(dir, "nope.json"), env: {} }))).toBe(ErrorCode.Config_NotFound);
    expect(codeOf(() => loadConfig({ file: dir, env: {} }))).toBe(ErrorCode.Config_Unreadable);
    const bad = write("bad.json", '{ "lockerId": "x", }');
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(new RegExp(`config file ${bad} is not valid JSON`));
    expect(codeOf(() => loadConfig({ file: write("arr.json", "[1]"), env: {} }))).toBe(ErrorCode.Config_Invalid);
  });

  it("names the file in the error and lists each problem on its own line", () => {
    const file = write("config.json", { http: { port: -1 }, kiosk: { defaultLanguage: "fr" } });
    expect(() => loadConfig({ file, env: {} })).toThrow(
      `config file ${file} has 2 problems:\n  - http.port must be >= 0 (got -1)\n  - kiosk.defaultLanguage must be one of "zh-CN", "zh-TW", "en" (got "fr")`,
    );
  });
});
