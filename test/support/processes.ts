/**
 * Run lockerd and the board simulator as their own processes, exactly as the
 * README says (built code from dist/, a config file), and talk to them over
 * their real interfaces.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS } from "../../src/daemon/nodeFlags.js";

export const MAIN = fileURLToPath(new URL("../../dist/lockerd/main.js", import.meta.url));
export const LOCKERCTL = fileURLToPath(new URL("../../dist/src/cli/lockerctl.js", import.meta.url));
export const SIM_CLI = fileURLToPath(new URL("../../dist/hardware/simulator/cli.js", import.meta.url));

export function requireBuild(): void {
  for (const f of [MAIN, LOCKERCTL, SIM_CLI]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (these tests run the built programs)`);
  }
}

/** The environment without any LOCKERD_* the developer's shell may carry. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOCKERD_"))), ...extra };
}

/** Collects a child's output lines and lets a test wait for one. */
export class Lines {
  readonly all: string[] = [];
  private buf = "";
  private waiters = new Set<() => void>();
  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      this.buf += chunk;
      let nl: number;
      while ((nl = this.buf.indexOf("\n")) >= 0) {
        this.all.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      this.waiters.forEach((w) => w());
    });
  }
  waitFor(pred: (line: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.all.find(pred);
        if (hit !== undefined) {
          clearTimeout(t);
          this.waiters.delete(check);
          resolve(hit);
        }
      };
      const t = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; output so far:\n${this.all.slice(-30).join("\n")}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

export interface LockerdProcess {
  proc: ChildProcess;
  stdout: Lines;
  stderr: Lines;
  /** Public URL from the "lockerd ready" log line. */
  url: string;
  /** The kiosk screen's own listener (QR, live stream, keypad pickup), from the same line. */
  kioskUrl: string;
  /** Send a signal and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start `node dist/lockerd/main.js --config <file> --json-logs` (the bundled daemon) and wait for "lockerd ready". */
export async function startLockerd(configFile: string, timeoutMs = 30_000): Promise<LockerdProcess> {
  const proc = spawn(process.execPath, [...NODE_FLAGS, MAIN, "--config", configFile, "--json-logs"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const stdout = new Lines(proc.stdout!);
  const stderr = new Lines(proc.stderr!);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const ready = await Promise.race([
    stdout.waitFor((l) => l.includes('"lockerd ready"'), "lockerd ready line", timeoutMs),
    exited.then((code) => {
      throw new Error(`lockerd exited with ${code} before it was ready:\n${stderr.all.join("\n")}\n${stdout.all.slice(-20).join("\n")}`);
    }),
  ]);
  return {
    proc,
    stdout,
    stderr,
    url: (JSON.parse(ready) as { url: string }).url,
    kioskUrl: (JSON.parse(ready) as { kioskUrl: string }).kioskUrl,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

export interface SimulatorProcess {
  proc: ChildProcess;
  /** The device path (pty) or tcp:// URL the daemon should open. */
  transport: string;
  controlUrl: string;
  control(path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** Start `node dist/hardware/simulator/cli.js --pty --control 0` as its own process. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const proc = spawn(process.execPath, [SIM_CLI, "--pty", "--control", "0", "--boards", "1"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const out = new Lines(proc.stdout!);
  const bus = await out.waitFor((l) => l.startsWith("simulator:"), "simulator banner");
  const control = await out.waitFor((l) => l.startsWith("control:"), "simulator control line");
  const transport = bus.split(" on ")[1]!.trim();
  const controlUrl = control.split(/\s+/)[1]!;
  return {
    proc,
    transport,
    controlUrl,
    async control(path: string, body?: unknown) {
      const res = await fetch(controlUrl + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
      if (!res.ok) throw new Error(`simulator ${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await gone;
    },
  };
}

/** Run the built lockerctl and parse its --json output. */
export async function lockerctl(args: string[]): Promise<{ code: number | null; json: unknown; stderr: string }> {
  const proc = spawn(process.execPath, [LOCKERCTL, "--json", ...args], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => proc.once("exit", r));
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, json, stderr: err };
}
