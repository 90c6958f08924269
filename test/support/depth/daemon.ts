/**
 * Depth "daemon": the real composition root (Daemon) over the board simulator
 * on a real transport (TCP by default, or a socat pseudo-terminal), a real
 * SQLite file in a temp folder, the embedded aedes broker on a free port and
 * the public HTTP listener on a free port. Every log line is captured.
 *
 * `debug: true` keeps the temp folder and writes the log to `<dir>/trace.log`.
 */
import fs from "node:fs";
import path from "node:path";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { deepMerge, loadConfig, type DeepPartial } from "../../../src/config/loadConfig.js";
import { Daemon } from "../../../src/daemon/Daemon.js";
import type { Clock } from "../../../src/util/clock.js";
import { startSimulator, type RunningSimulator } from "../../../hardware/simulator/startSimulator.js";
import type { LockBusSimulator } from "../../../hardware/simulator/LockBusSimulator.js";
import { captureLog } from "../logCapture.js";
import { makeTempDir, removeDir } from "../tempDir.js";

export interface LockerHarnessOptions {
  config?: DeepPartial<LockerConfig>;
  /** Board line: "tcp" (default, the daemon starts the simulator itself) or "pty" (socat pair). */
  transport?: "tcp" | "pty";
  clock?: Clock;
  debug?: boolean;
  /** Reuse a data folder (restart scenarios); it is then left in place. */
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
  /** `http(s)://127.0.0.1:<port>` of the public listener. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>` of the kiosk screen's own listener (QR, live stream, keypad). */
  kioskUrl: string;
  /** Stop the daemon (and the pty simulator); remove the temp folder unless debug. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

/** Settings that make the story fast enough for tests without changing its logic. */
/** A back-office user with command rights on the embedded broker of every harness daemon (anonymous clients may only read). */
export const TEST_OFFICE = { username: "office", password: "office-password-of-the-test-harness" } as const;

export function testConfigOverrides(dir: string): DeepPartial<LockerConfig> {
  const officePasswordFile = path.join(dir, "office.pw");
  if (!fs.existsSync(officePasswordFile)) fs.writeFileSync(officePasswordFile, TEST_OFFICE.password + "\n", { mode: 0o600 });
  return {
    lockerId: "test-locker",
    dataDir: dir,
    publicBaseUrl: "http://127.0.0.1:8080",
    http: { host: "127.0.0.1", port: 0, kioskPort: 0, adminSocket: path.join(dir, "admin.sock") },
    mqtt: { url: "embedded", embeddedHost: "127.0.0.1", embeddedPort: 0, embeddedUsers: [{ username: TEST_OFFICE.username, passwordFile: officePasswordFile, rights: "command" }] },
    simulator: { controlPort: 0, openAfterMs: 300, closeAfterMs: 0 },
    pins: { scryptCost: 1024 },
    log: { level: "debug", pretty: false },
  };
}

export async function startLocker(opts: LockerHarnessOptions = {}): Promise<LockerHarness> {
  const dir = opts.dataDir ?? makeTempDir("lockerd-test-");
  const capture = captureLog({ level: "debug", traceFile: opts.debug ? path.join(dir, "trace.log") : undefined });

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
  // The config's level (tests may raise it to trace); the capture is the destination either way.
  capture.log.level = config.log.level;
  const daemon = await Daemon.start({ config, log: capture.log, clock: opts.clock });
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
    logLines: capture.lines,
    mqttUrl: daemon.mqtt.status().url,
    baseUrl: daemon.publicUrl,
    kioskUrl: daemon.kioskUrl,
    async stop({ keepData = false } = {}) {
      await daemon.stop();
      await ptySim?.stop();
      capture.close();
      if (!opts.debug && !keepData && !opts.dataDir) removeDir(dir);
    },
  };
}
