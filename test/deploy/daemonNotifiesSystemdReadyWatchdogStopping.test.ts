import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/waitFor.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const main = path.join(root, "dist", "lockerd", "main.js");
let dir: string;
let daemon: ChildProcess | undefined;

const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);

/** Wait for `cond`; on a timeout the message lists the systemd-notify calls seen so far. */
async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(cond, what, { timeoutMs, intervalMs: 50 }).catch((err: Error) => {
    throw new Error(`${err.message}; systemd-notify calls: ${JSON.stringify(calls())}`);
  });
}

beforeEach(() => {
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm test does)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-sd-"));
  // stand-in systemd-notify: records its arguments, one call a line
  fs.writeFileSync(path.join(dir, "systemd-notify"), `#!/bin/sh\necho "$*" >> "${dir}/calls"\n`, { mode: 0o755 });
});
afterEach(() => {
  daemon?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the daemon under systemd (Type=notify, WatchdogSec)", () => {
  it("sends READY=1 once started, WATCHDOG=1 every half watchdog period, and STOPPING=1 on SIGTERM, then exits 0", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOCKERD_") && k !== "NOTIFY_SOCKET"));
    daemon = spawn(process.execPath, [main, "--json-logs"], {
      cwd: dir,
      stdio: "ignore",
      env: {
        ...env,
        PATH: `${dir}:${process.env.PATH}`,
        NOTIFY_SOCKET: "/run/systemd/notify-test",
        WATCHDOG_USEC: "1000000",
        LOCKERD_DATA_DIR: path.join(dir, "data"),
        LOCKERD_HTTP__PORT: "0",
        LOCKERD_HTTP__KIOSK_PORT: "0",
        LOCKERD_MQTT__EMBEDDED_PORT: "0",
        LOCKERD_SIMULATOR__CONTROL_PORT: "0",
      },
    });
    const exited = new Promise<number | null>((r) => daemon!.on("exit", (code) => r(code)));
    await until(() => calls().some((c) => c.startsWith("READY=1")), "READY=1");
    await until(() => calls().filter((c) => c === "WATCHDOG=1").length >= 2, "two WATCHDOG=1 pings");
    expect(calls()[0]).toMatch(/^READY=1 STATUS=/);
    daemon.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(calls().at(-1)).toMatch(/^STOPPING=1/);
  });
});
