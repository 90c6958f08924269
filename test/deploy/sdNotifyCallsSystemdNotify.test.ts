import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SystemdNotifier, watchdogIntervalMs } from "../../src/daemon/sdNotify.js";

let dir: string;
let record: string;
let env: NodeJS.ProcessEnv;

/** A stand-in `systemd-notify` on PATH that appends "<NOTIFY_SOCKET> <args>" to a file. */
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-sdnotify-"));
  record = path.join(dir, "calls.txt");
  const stub = path.join(dir, "systemd-notify");
  fs.writeFileSync(stub, `#!/bin/sh\nprintf '%s %s\\n' "$NOTIFY_SOCKET" "$*" >> "${record}"\n`, { mode: 0o755 });
  env = { PATH: `${dir}:${process.env.PATH}`, NOTIFY_SOCKET: "/run/systemd/notify-fake" };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const calls = () => (fs.existsSync(record) ? fs.readFileSync(record, "utf8").trim().split("\n") : []);

async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(calls())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("sdNotify speaks to systemd through systemd-notify", () => {
  it("sends READY, STATUS, WATCHDOG and STOPPING in order, with NOTIFY_SOCKET passed on", async () => {
    const sd = new SystemdNotifier({ env });
    expect(sd.enabled).toBe(true);
    await sd.ready("board answered, 6 doors");
    await sd.status("broker down\nREADY=1");
    await sd.watchdog();
    await sd.stopping("signal SIGTERM");
    expect(calls()).toEqual([
      "/run/systemd/notify-fake READY=1 STATUS=board answered, 6 doors",
      "/run/systemd/notify-fake STATUS=broker down READY=1",
      "/run/systemd/notify-fake WATCHDOG=1",
      "/run/systemd/notify-fake STOPPING=1 STATUS=signal SIGTERM",
    ]);
  });

  it("keeps the order of messages fired without waiting", async () => {
    const sd = new SystemdNotifier({ env });
    await Promise.all([sd.ready(), sd.status("one"), sd.status("two"), sd.stopping()]);
    expect(calls().map((c) => c.split(" ").slice(1).join(" "))).toEqual(["READY=1", "STATUS=one", "STATUS=two", "STOPPING=1"]);
  });

  it("does nothing when not under systemd", async () => {
    const sd = new SystemdNotifier({ env: { PATH: env.PATH, WATCHDOG_USEC: "30000000" } });
    expect(sd.enabled).toBe(false);
    await sd.ready();
    await sd.watchdog();
    expect(sd.watchdogIntervalMs()).toBeUndefined();
    expect(sd.startWatchdog(() => true)).toBeUndefined();
    expect(calls()).toEqual([]);
  });

  it("derives the watchdog interval as half of WATCHDOG_USEC, only for our own pid", () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000" })).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: String(process.pid) })).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "1" })).toBeUndefined();
    expect(watchdogIntervalMs({})).toBeUndefined();
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "garbage" })).toBeUndefined();
  });

  it("pings the watchdog while alive and withholds pings while unhealthy", async () => {
    const sd = new SystemdNotifier({ env: { ...env, WATCHDOG_USEC: "200000" } });
    expect(sd.watchdogIntervalMs()).toBe(100);
    let alive = true;
    const timer = sd.startWatchdog(() => alive);
    expect(timer).toBeDefined();
    await waitFor(() => calls().length >= 2, "two watchdog pings");
    alive = false;
    await sd.status("drain"); // queued behind any ping already in flight
    const afterUnhealthy = calls().length;
    await new Promise((r) => setTimeout(r, 500));
    expect(calls().length).toBe(afterUnhealthy);
    clearInterval(timer);
    expect(calls().at(-1)).toMatch(/ STATUS=drain$/);
    expect(
      calls()
        .slice(0, -1)
        .every((c) => c.endsWith(" WATCHDOG=1")),
    ).toBe(true);
  });

  it("warns once and carries on when systemd-notify is not installed", async () => {
    const warnings: string[] = [];
    const log = { warn: (_o: object, m: string) => warnings.push(m), debug: () => {} };
    const sd = new SystemdNotifier({ env: { NOTIFY_SOCKET: "/run/x", PATH: dir }, command: "no-such-systemd-notify", log });
    await sd.ready();
    await sd.watchdog();
    expect(warnings).toEqual(["systemd-notify not found on PATH; systemd notifications are off"]);
  });
});
