/**
 * systemd notify protocol without a native addon. Node cannot send on a unix
 * datagram socket, so each message spawns `systemd-notify VAR=value ...`;
 * the unit therefore needs `NotifyAccess=all` (the sender is a child, not
 * the main PID). `systemd-notify` (systemd >= 246) waits until the manager
 * has taken the message, so it is attributed before the child exits.
 * Everything is a no-op when `NOTIFY_SOCKET` is unset (not under systemd).
 */
import { spawn } from "node:child_process";

/** The part of a pino logger this needs. */
export interface NotifyLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SdNotifyOptions {
  /** Environment holding NOTIFY_SOCKET / WATCHDOG_USEC / WATCHDOG_PID (default process.env); also the child's environment. */
  env?: NodeJS.ProcessEnv;
  /** Program to run, default `systemd-notify` looked up on the env's PATH. */
  command?: string;
  /** Kill a `systemd-notify` that has not finished after this long, ms. Default 5000. */
  timeoutMs?: number;
  log?: NotifyLog;
  /** Our pid, for WATCHDOG_PID (default process.pid). */
  pid?: number;
}

/**
 * Half of `WATCHDOG_USEC` in ms (systemd's advice: ping at half the
 * deadline), or undefined when no watchdog is set for this process.
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** Talks to systemd's service manager; every method resolves (never rejects) once the message is handed over or given up. */
export class SystemdNotifier {
  /** True when running under systemd with a notify socket. */
  readonly enabled: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private readonly command: string;
  private readonly timeoutMs: number;
  private readonly log?: NotifyLog;
  private readonly pid: number;
  private queue: Promise<void> = Promise.resolve();
  private warnedMissing = false;

  constructor(opts: SdNotifyOptions = {}) {
    this.env = opts.env ?? process.env;
    this.enabled = Boolean(this.env.NOTIFY_SOCKET);
    this.command = opts.command ?? "systemd-notify";
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.log = opts.log;
    this.pid = opts.pid ?? process.pid;
  }

  /** Startup finished: systemd marks the unit active. */
  ready(status?: string): Promise<void> {
    return this.send({ READY: "1", ...(status !== undefined ? { STATUS: status } : {}) });
  }

  /** A one-line status shown by `systemctl status lockerd`. */
  status(text: string): Promise<void> {
    return this.send({ STATUS: text });
  }

  /** "Still alive": must come at least once per WatchdogSec or systemd restarts the service. */
  watchdog(): Promise<void> {
    return this.send({ WATCHDOG: "1" });
  }

  /** Shutdown began. */
  stopping(status?: string): Promise<void> {
    return this.send({ STOPPING: "1", ...(status !== undefined ? { STATUS: status } : {}) });
  }

  /** See {@link watchdogIntervalMs}; undefined when not under systemd or no watchdog. */
  watchdogIntervalMs(): number | undefined {
    return this.enabled ? watchdogIntervalMs(this.env, this.pid) : undefined;
  }

  /**
   * Ping the watchdog every {@link watchdogIntervalMs} while `isAlive()` is
   * true; a false answer skips the ping so systemd restarts a stuck daemon.
   * Returns the interval timer (stop it with clearInterval), or undefined when
   * there is no watchdog to ping.
   */
  startWatchdog(isAlive: () => boolean): NodeJS.Timeout | undefined {
    const interval = this.watchdogIntervalMs();
    if (interval === undefined) return undefined;
    const timer = setInterval(() => {
      if (isAlive()) void this.watchdog();
      else this.log?.warn({ ns: "systemd" }, "watchdog ping withheld: the daemon reports itself unhealthy");
    }, interval);
    timer.unref();
    return timer;
  }

  private send(fields: Record<string, string>): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    // A newline would start another VAR= line in the datagram.
    const args = Object.entries(fields).map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, " ")}`);
    this.queue = this.queue.then(() => this.run(args));
    return this.queue;
  }

  private run(args: string[]): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(this.command, args, { env: this.env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), this.timeoutMs);
      child.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.code === "ENOENT") {
          if (!this.warnedMissing) this.log?.warn({ ns: "systemd", command: this.command }, "systemd-notify not found on PATH; systemd notifications are off");
          this.warnedMissing = true;
        } else this.log?.warn({ ns: "systemd", err: err.message }, "cannot run systemd-notify");
        resolve();
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        if (code === 0) this.log?.debug({ ns: "systemd", args }, "notified systemd");
        else this.log?.warn({ ns: "systemd", args, code, signal, stderr: stderr.trim() }, "systemd-notify failed");
        resolve();
      });
    });
  }
}
