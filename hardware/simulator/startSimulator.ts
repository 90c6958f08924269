/**
 * Start the board simulator in-process on a real transport: a pseudo-terminal
 * pair made by socat (the daemon opens `path`, the simulator the other end) or
 * a TCP server (`url` = tcp://127.0.0.1:port). `disconnect()`/`reconnect()`
 * take the line away and bring it back (socat killed and restarted, or the
 * server closed and reopened on the same port), as a pulled USB cable would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SerialPort } from "serialport";
import { LockBusSimulator, type LockBusSimulatorOptions } from "./LockBusSimulator.js";
import { startControlServer, type ControlServer } from "./controlServer.js";

export interface StartSimulatorOptions extends LockBusSimulatorOptions {
  transport: "pty" | "tcp";
  /** TCP port to listen on (tcp only), 0 = any free. */
  port?: number;
  /** Start the HTTP control server on this port (0 = any free); omitted = none. */
  controlPort?: number;
}

export interface RunningSimulator {
  /** pty: the device path the host opens. */
  path?: string;
  /** tcp: `tcp://127.0.0.1:<port>`. */
  url?: string;
  /** The host's transport string: `path` or `url`. */
  transport: string;
  /** In-process control (boards, faults, received frames). */
  control: LockBusSimulator;
  /** http://127.0.0.1:<port> when `controlPort` was given. */
  controlUrl?: string;
  disconnect(): Promise<void>;
  reconnect(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulator(opts: StartSimulatorOptions): Promise<RunningSimulator> {
  const sim = new LockBusSimulator(opts);
  const control: ControlServer | undefined = opts.controlPort === undefined ? undefined : await startControlServer(sim, opts.controlPort);
  const line = opts.transport === "pty" ? await ptyLine(sim) : await tcpLine(sim, opts.port ?? 0);
  await line.up();
  return {
    ...line.where,
    transport: line.where.path ?? line.where.url!,
    control: sim,
    controlUrl: control?.url,
    disconnect: () => line.down(),
    reconnect: () => line.up(),
    async stop() {
      await line.down();
      line.cleanup();
      sim.stop();
      await control?.close();
    },
  };
}

interface Line {
  where: { path?: string; url?: string };
  up(): Promise<void>;
  down(): Promise<void>;
  cleanup(): void;
}

async function ptyLine(sim: LockBusSimulator): Promise<Line> {
  const dir = mkdtempSync(join(tmpdir(), "lockerd-sim-"));
  const host = join(dir, "board");
  const side = join(dir, "sim");
  let socat: ChildProcess | undefined;
  let port: SerialPort | undefined;
  return {
    where: { path: host },
    async up() {
      if (socat) return;
      socat = spawn("socat", [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${side}`], { stdio: "ignore" });
      const proc = socat;
      const spawnError = new Promise<never>((_, reject) => proc.once("error", (e) => reject(new Error(`cannot run socat (apt-get install socat): ${e.message}`))));
      await Promise.race([waitFor(() => existsSync(host) && existsSync(side), 5000, "socat pty links"), spawnError]);
      const { SerialPort } = await import("serialport");
      const p = new SerialPort({ path: side, baudRate: 9600, autoOpen: false });
      await new Promise<void>((res, rej) => p.open((e) => (e ? rej(e) : res())));
      port = p;
      sim.attach(p);
    },
    async down() {
      const proc = socat;
      socat = undefined;
      if (port?.isOpen) await new Promise<void>((r) => port!.close(() => r()));
      port = undefined;
      if (proc && proc.exitCode === null) {
        const exited = new Promise<void>((r) => proc.once("exit", () => r()));
        proc.kill("SIGTERM");
        await exited;
      }
      await waitFor(() => !existsSync(host), 2000, "socat link removal").catch(() => rmSync(host, { force: true }));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function tcpLine(sim: LockBusSimulator, wantPort: number): Promise<Line> {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  let port = wantPort;
  const where: { url?: string } = {};
  const up = async () => {
    if (server) return;
    const s = net.createServer((sock) => {
      sock.setNoDelay(true);
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
      sock.on("error", () => undefined);
      sim.attach(sock);
    });
    await new Promise<void>((res, rej) => {
      s.once("error", rej);
      s.listen(port, "127.0.0.1", () => res());
    });
    port = (s.address() as AddressInfo).port;
    where.url = `tcp://127.0.0.1:${port}`;
    server = s;
  };
  await up();
  return {
    where,
    up,
    async down() {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    cleanup: () => undefined,
  };
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
