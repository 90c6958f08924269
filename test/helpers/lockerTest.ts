/**
 * Test harness: the real daemon (composition root) over the board simulator
 * on a real transport (TCP by default, or a socat pseudo-terminal), a real
 * SQLite file in a temp folder, the embedded aedes broker on a free port and
 * the public HTTP listener on a free port. Every log line is captured.
 *
 *   const h = await startLocker({ config: { rules: { doorLeftOpenMs: 10_000 } } });
 *   ...
 *   await h.stop();
 *
 * `debug: true` keeps the temp folder and writes the log to `<dir>/trace.log`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { it } from "vitest";
import type { LockerConfig } from "../../src/config/LockerConfig.js";
import { deepMerge, loadConfig, type DeepPartial } from "../../src/config/loadConfig.js";
import { Daemon } from "../../src/daemon/Daemon.js";
import type { Clock } from "../../src/util/clock.js";
import { createLogger } from "../../src/util/logger.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import type { LockBusSimulator } from "../../hardware/simulator/LockBusSimulator.js";

export interface LockerHarnessOptions {
  config?: DeepPartial<LockerConfig>;
  /** Board line: "tcp" (default, the daemon starts the simulator itself) or "pty" (socat pair). */
  transport?: "tcp" | "pty";
  clock?: Clock;
  debug?: boolean;
  /** Reuse a data folder (restart scenarios). */
  dataDir?: string;
}

export interface LockerHarness {
  daemon: Daemon;
  config: LockerConfig;
  /** The simulated bus (doors, faults, frames received). */
  sim: LockBusSimulator;
  simulator: RunningSimulator;
  dir: string;
  /** Every log line written so far, raw JSON text. */
  logLines: string[];
  /** `mqtt://127.0.0.1:<port>` of the embedded broker. */
  mqttUrl: string;
  /** `http://127.0.0.1:<port>` of the public listener. */
  baseUrl: string;
  /** Stop the daemon (and the pty simulator); remove the temp folder unless debug. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

/** A back-office user with command rights on the embedded broker of every harness daemon. */
export const TEST_OFFICE = { username: "office", password: "office-password-of-the-test-harness" } as const;

/** Settings that make the story fast enough for tests without changing its logic. */
export function testConfigOverrides(dir: string): DeepPartial<LockerConfig> {
  const officePasswordFile = path.join(dir, "office.pw");
  if (!fs.existsSync(officePasswordFile)) fs.writeFileSync(officePasswordFile, TEST_OFFICE.password + "\n", { mode: 0o600 });
  return {
    lockerId: "test-locker",
    dataDir: dir,
    publicBaseUrl: "http://127.0.0.1:8080",
    http: { host: "127.0.0.1", port: 0, adminSocket: path.join(dir, "admin.sock") },
    mqtt: { url: "embedded", embeddedHost: "127.0.0.1", embeddedPort: 0, embeddedUsers: [{ username: TEST_OFFICE.username, passwordFile: officePasswordFile, rights: "command" }] },
    simulator: { controlPort: 0, openAfterMs: 300, closeAfterMs: 0 },
    pins: { scryptCost: 1024 },
    log: { level: "debug", pretty: false },
  };
}

/** Start the whole daemon over the simulator. */
export async function startLocker(opts: LockerHarnessOptions = {}): Promise<LockerHarness> {
  const dir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-test-"));
  const logLines: string[] = [];
  const traceFile = opts.debug ? fs.createWriteStream(path.join(dir, "trace.log"), { flags: "a" }) : undefined;
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) logLines.push(line);
      traceFile?.write(chunk);
      cb();
    },
  });

  let ptySim: RunningSimulator | undefined;
  const base = testConfigOverrides(dir);
  const merged = deepMerge(base as Record<string, unknown>, (opts.config ?? {}) as Record<string, unknown>) as DeepPartial<LockerConfig>;
  if (opts.transport === "pty") {
    const boards = (merged.bus?.boards as LockerConfig["bus"]["boards"] | undefined) ?? [
      { address: 1, channels: 8, feedback: "closedWhenLocked", statusByteOrder: "lastByteFirstChannels" },
    ];
    ptySim = await startSimulator({ transport: "pty", boards });
    merged.bus = { ...(merged.bus ?? {}), transport: ptySim.path! };
  }
  const config = loadConfig({ env: {}, overrides: merged, cwd: dir });
  const log = createLogger({ level: config.log.level, pretty: false, destination });
  const daemon = await Daemon.start({ config, log, clock: opts.clock });
  const simulator = ptySim ?? daemon.simulator!;
  if (ptySim) {
    const people = { openAfterMs: config.simulator.openAfterMs, closeAfterMs: config.simulator.closeAfterMs };
    for (const c of config.compartments) ptySim.control.board(c.board).setBehaviour(c.channel, people);
  }
  return {
    daemon,
    config,
    sim: simulator.control,
    simulator,
    dir,
    logLines,
    mqttUrl: daemon.mqtt.status().url,
    baseUrl: daemon.publicUrl,
    async stop({ keepData = false } = {}) {
      await daemon.stop();
      await ptySim?.stop();
      traceFile?.end();
      if (!opts.debug && !keepData && !opts.dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A vitest case with a fresh daemon; the harness is stopped whatever the outcome. */
export function lockerTest(
  name: string,
  spec: { config?: DeepPartial<LockerConfig>; transport?: "tcp" | "pty"; debug?: boolean; testBody: (h: LockerHarness) => Promise<void> },
  timeoutMs = 60_000,
): void {
  it(
    name,
    async () => {
      const h = await startLocker(spec);
      try {
        await spec.testBody(h);
      } finally {
        await h.stop();
      }
    },
    timeoutMs,
  );
}

/** Wait until `check()` returns a truthy value (polling every 10 ms); fail with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
