#!/usr/bin/env node
/**
 * lockerd: the locker daemon. `lockerd --config /etc/lockerd/config.json` in
 * production (under systemd, Type=notify); `npm start` runs `--demo` on the
 * embedded default (board simulator, embedded broker, SQLite under ./data).
 */
import { parseArgs } from "node:util";
import { loadConfig } from "./config/loadConfig.js";
import { isConfigError, isLockerError } from "./errors/LockerError.js";
import { createLogger } from "./util/logger.js";
import { Daemon, describeStartFailure } from "./daemon/Daemon.js";
import { printDemoBanner } from "./daemon/demoBanner.js";
import { SystemdNotifier } from "./daemon/sdNotify.js";
import { VERSION } from "./daemon/version.js";

const USAGE = `Usage: lockerd [--config <file>] [--demo] [--pretty | --json-logs]

  -c, --config <file>  JSON config file (default: $LOCKERD_CONFIG, else the embedded demo default)
      --demo           print how to use the demo locker (kiosk, staff page, alerts, simulated doors)
      --pretty         human-readable logs (default on a terminal)
      --json-logs      pino JSON logs (default under systemd)
  -h, --help           this text
  -v, --version        print the version

Environment: LOCKERD_<SECTION>__<KEY>=value overrides any config key (see config/README.md).
Exit codes: 0 stopped cleanly, 1 runtime failure, 2 bad config or arguments.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: "string", short: "c" },
        demo: { type: "boolean", default: false },
        pretty: { type: "boolean" },
        "json-logs": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`lockerd: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (args.version) {
    process.stdout.write(VERSION + "\n");
    return 0;
  }

  const file = args.config ?? process.env.LOCKERD_CONFIG;
  let config;
  try {
    const pretty = args.pretty ? true : args["json-logs"] ? false : undefined;
    config = loadConfig({ file, overrides: pretty === undefined ? {} : { log: { pretty } } });
  } catch (err) {
    process.stderr.write(`lockerd: ${isLockerError(err) ? err.message : String(err)}\n(check it with: lockerctl config check${file ? ` --config ${file}` : ""})\n`);
    return 2;
  }

  const log = createLogger({ level: config.log.level, pretty: config.log.pretty });
  const notifier = new SystemdNotifier();
  let daemon: Daemon;
  try {
    daemon = await Daemon.start({ config, log, onReady: () => notifier.ready(`ready; board ${config.bus.transport}`) });
  } catch (err) {
    log.fatal({ err }, "lockerd could not start");
    process.stderr.write(`lockerd could not start: ${describeStartFailure(err)}\n`);
    await new Promise((r) => setTimeout(r, 100)); // let the log line flush
    // A wrong config is the operator's to fix (2); anything else is a runtime failure (1).
    return isConfigError(err) ? 2 : 1;
  }
  if (args.demo) await printDemoBanner(daemon);

  // Watchdog only while the board loop lives: a stuck poller makes systemd restart us.
  const watchdog = notifier.startWatchdog(() => daemon.hardware.loopAlive());

  return await new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      if (++signals > 1) {
        log.warn({ sig }, "second signal: exiting now");
        resolve(1);
        return;
      }
      log.info({ sig }, "stopping");
      notifier.stopping();
      clearInterval(watchdog);
      // Inside systemd's TimeoutStopSec (10 s): a part that hangs must not earn us a SIGKILL.
      setTimeout(() => {
        log.error("stop did not finish within 8 s: exiting anyway");
        resolve(1);
      }, 8_000).unref();
      daemon.stop().then(
        () => resolve(0),
        (err) => {
          log.error({ err }, "stop failed");
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    // systemctl reload lockerd: a renewed HTTPS certificate, without a restart.
    process.on("SIGHUP", () => void daemon.reloadTls());
  });
}

process.exitCode = await main();
// Anything still holding the event loop (a stuck socket) must not keep a stopped daemon alive.
setTimeout(() => process.exit(), 2_000).unref();
