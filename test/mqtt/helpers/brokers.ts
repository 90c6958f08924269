/**
 * Real brokers for the MQTT tests: aedes in-process (our embedded broker on
 * port 0) and a real Mosquitto process on a free port in a temp dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Aedes } from "aedes";
import { findTool, requireTool } from "../../support/tools.js";

export interface TestBroker {
  kind: "aedes" | "mosquitto";
  url: string;
  port: number;
  /** MQTT protocol version the broker speaks to our client. */
  protocolVersion: 4 | 5;
  stop(): Promise<void>;
  /** Start again on the same port (after stop). */
  restart(): Promise<void>;
  /** Re-read config files (Mosquitto: SIGHUP reloads password and ACL files). */
  reload?(): void;
  /** Stop for good and free everything. */
  destroy(): Promise<void>;
}

export const MOSQUITTO = findTool("mosquitto");
export const MOSQUITTO_SUB = findTool("mosquitto_sub");

/**
 * Whether Mosquitto tests can run. Missing → print why and skip on a laptop,
 * but under CI a missing broker is a failure, not a skip.
 */
export function mosquittoAvailable(): boolean {
  return requireTool(["mosquitto", "mosquitto_sub"], "the Mosquitto tests");
}

/**
 * aedes in-process on port 0. `stop()` closes the listener and drops every
 * connection but keeps the broker (its sessions and retained messages), like
 * a network outage; `restart()` listens on the same port again.
 */
export async function startAedes(): Promise<TestBroker> {
  const broker = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = async () => {
    const s = net.createServer((socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => s.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    port = (s.address() as net.AddressInfo).port;
    server = s;
  };
  await listen();
  const closeServer = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    kind: "aedes",
    url: `mqtt://127.0.0.1:${port}`,
    port,
    protocolVersion: 4,
    async stop() {
      await closeServer();
    },
    restart: listen,
    async destroy() {
      await closeServer();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Mosquitto on a free port; config and persistence in a fresh temp dir, so
 * retained messages and last wills start empty every run but survive a
 * restart within the run (sessions of persistent subscribers too).
 */
export async function startMosquitto(opts: { listener?: (dir: string) => string[]; scheme?: "mqtt" | "mqtts"; host?: string } = {}): Promise<TestBroker> {
  if (!MOSQUITTO) throw new Error("mosquitto is not installed");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-mosq-"));
  const port = await freePort();
  const conf = path.join(dir, "mosquitto.conf");
  const listener = opts.listener?.(dir) ?? ["allow_anonymous true"];
  // "user root": started as root (CI containers) mosquitto would otherwise drop to user "mosquitto"
  // and could not read or persist into this 0700 temp dir; ignored when not root.
  const lines = [`listener ${port} 127.0.0.1`, ...listener, "user root", "persistence true", `persistence_location ${dir}/`, "autosave_interval 1"];
  fs.writeFileSync(conf, [...lines, "set_tcp_nodelay true", "log_dest stderr", "log_type error", ""].join("\n"));
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn(MOSQUITTO!, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    await waitForPort(port, 15_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${err}`);
    });
  };
  await launch();
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once("exit", () => resolve());
      p.kill("SIGTERM");
    });
  };
  return {
    kind: "mosquitto",
    url: `${opts.scheme ?? "mqtt"}://${opts.host ?? "127.0.0.1"}:${port}`,
    port,
    protocolVersion: 5,
    stop,
    restart: launch,
    reload() {
      proc?.kill("SIGHUP");
    },
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The brokers every MQTT contract test runs against, for `describe.each`:
 * [name, start, available]. Mosquitto is skipped with a printed reason on a
 * laptop without it, and is a failure under CI (see mosquittoAvailable).
 */
export function bothBrokers(): Array<[string, () => Promise<TestBroker>, boolean]> {
  return [
    ["aedes", startAedes, true],
    ["mosquitto", startMosquitto, mosquittoAvailable()],
  ];
}
