import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const cli = path.join(root, "dist", "src", "cli", "lockerctl.js");
let dir: string;

/** Run the built lockerctl with a clean LOCKERD_* environment (plus `env`). */
function lockerctl(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOCKERD_")));
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...clean, ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

beforeAll(() => {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("lockerctl config check", () => {
  it("exits 0 and summarises a valid config", () => {
    const file = write("ok.json", { lockerId: "centre-7", mqtt: { url: "mqtt://broker.local:1883", username: "centre-7", password: "hunter22" } });
    const r = lockerctl(["config", "check", "--config", file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`config ok: ${file}`);
    expect(r.out).toMatch(/locker\s+centre-7/);
    expect(r.out).toMatch(/broker\s+mqtt:\/\/broker\.local:1883, user centre-7; topics lockers\/centre-7\/#/);
    expect(r.out).toMatch(/compartments\s+6: 1, 2, 3, 4, 5, 6/);
    expect(r.out).not.toContain("hunter22");
  });

  it("exits 2 and lists all three mistakes of a config with three mistakes", () => {
    const file = write("bad.json", {
      bus: { transport: "COM3", timeouts: { unlockReplyMs: 200 } },
      compartments: [{ number: 1, board: 2, channel: 1, size: "S", row: 1, column: 1 }],
    });
    const r = lockerctl(["config", "check", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`config file ${file} has 3 problems:`);
    expect(r.out).toContain("  - bus.timeouts.unlockReplyMs must be >= 1500 (got 200)");
    expect(r.out).toContain('  - bus.transport must be "sim", an absolute serial device path (/dev/ttyUSB0, a udev or socat link) or tcp://host:port (got "COM3")');
    expect(r.out).toContain("  - compartments[0].board 2 is not in bus.boards (addresses: 1)");
  });

  it("answers in JSON with --json, both ways", () => {
    const ok = lockerctl(["--json", "config", "check", "--config", write("ok.json", {})]);
    expect(ok.code).toBe(0);
    const okBody = JSON.parse(ok.out);
    expect(okBody).toMatchObject({ ok: true, summary: { lockerId: "demo-locker", transport: "sim", compartments: [1, 2, 3, 4, 5, 6] } });
    expect(okBody.summary.listeners.adminSocket).toBe(path.join(dir, "data", "admin.sock"));

    const bad = lockerctl(["config", "check", "--json", "--config", write("bad.json", { http: { port: "x" } })]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toEqual({ ok: false, file: path.join(dir, "bad.json"), error: "Config_Invalid", problems: ['http.port must be a whole number (got "x")'] });
  });

  it("prints warnings for valid but doubtful settings and still exits 0", () => {
    const file = write("warn.json", { bus: { transport: "/dev/lockerboard" }, mqtt: { url: "mqtts://broker:8883" } });
    const r = lockerctl(["config", "check", "--config", file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("warnings (valid, but check):\n  - publicBaseUrl http://127.0.0.1:8080 points at this machine");
    const j = lockerctl(["--json", "config", "check", "--config", file]);
    expect(JSON.parse(j.out).warnings).toHaveLength(1);
  });

  it("exits 2 and says so when the file is missing", () => {
    const r = lockerctl(["config", "check", "--config", "missing.json"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`config file ${path.join(dir, "missing.json")} does not exist`);
  });

  it("reads LOCKERD_CONFIG and applies LOCKERD_* variables as the daemon would", () => {
    const file = write("env.json", { lockerId: "from-file" });
    const r = lockerctl(["config", "check"], { LOCKERD_CONFIG: file, LOCKERD_LOCKER_ID: "from-env", LOCKERD_HTTP__PORT: "none" });
    expect(r.code).toBe(2);
    expect(r.out).toContain('LOCKERD_HTTP__PORT must be an integer (got "none")');
    const ok = lockerctl(["--json", "config", "check"], { LOCKERD_CONFIG: file, LOCKERD_LOCKER_ID: "from-env" });
    expect(JSON.parse(ok.out).summary.lockerId).toBe("from-env");
  });
});
