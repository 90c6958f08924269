/**
 * Real reverse proxies on this machine for the remote-access tests, each on
 * a free port in a temp dir, terminating TLS with the test CA's certificate
 * and forwarding to lockerd's public listener only (never the kiosk's):
 * Caddy 2.6 and nginx, both from Debian (`apt-get install caddy nginx-light`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { freePort } from "../../mqtt/helpers/brokers.js";

export interface RunningProxy {
  kind: "caddy" | "nginx";
  /** `https://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  dir: string;
  certFile: string;
  keyFile: string;
  /** lockerd's public listener, `127.0.0.1:<port>`. */
  upstream: string;
  /** Port to listen on (0 = pick a free one). */
  port?: number;
}

const which = (cmd: string) =>
  spawnSync("sh", ["-c", `command -v ${cmd}`])
    .stdout.toString()
    .trim() || undefined;
export const CADDY = which("caddy");
export const NGINX = which("nginx") ?? (fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : undefined);

/** Whether both proxies are installed; missing → print why and skip on a laptop, fail under CI. */
export function proxiesAvailable(): boolean {
  if (CADDY && NGINX) return true;
  const why = "reverse-proxy tests skipped: caddy and nginx are needed (apt-get install caddy nginx-light)";
  if (process.env.CI) throw new Error(`${why}; CI must run them`);
  console.warn(why);
  return false;
}

async function waitForPort(port: number, proc: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`proxy exited with ${proc.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`proxy did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function track(proc: ChildProcess): { log: () => string; stop: () => Promise<void> } {
  let out = "";
  proc.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    log: () => out.slice(-4000),
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    },
  };
}

/** Caddy with its own admin API off, no automatic HTTPS (our certificate), no port 80. */
export async function startCaddy(o: ProxyOptions): Promise<RunningProxy> {
  const port = o.port || (await freePort());
  const home = path.join(o.dir, "caddy-home");
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(o.dir, "Caddyfile");
  fs.writeFileSync(
    file,
    `{
\tadmin off
\tauto_https disable_redirects
\tstorage file_system ${path.join(home, "data")}
}
https://127.0.0.1:${port} {
\tbind 127.0.0.1
\ttls ${o.certFile} ${o.keyFile}
\treverse_proxy ${o.upstream}
}
`,
  );
  const proc = spawn(CADDY!, ["run", "--config", file, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const t = track(proc);
  await waitForPort(port, proc, t.log);
  return { kind: "caddy", url: `https://127.0.0.1:${port}`, port, stop: t.stop };
}

/** nginx in the foreground with every path under `dir` (no /var/log, no /run). */
export async function startNginx(o: ProxyOptions): Promise<RunningProxy> {
  const port = o.port || (await freePort());
  const prefix = path.join(o.dir, "nginx");
  fs.mkdirSync(prefix, { recursive: true, mode: 0o755 });
  const conf = path.join(prefix, "nginx.conf");
  const tmp = (n: string) => path.join(prefix, n);
  fs.writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${tmp("nginx.pid")};
error_log ${tmp("error.log")} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${tmp("body")};
  proxy_temp_path ${tmp("proxy")};
  fastcgi_temp_path ${tmp("fastcgi")};
  uwsgi_temp_path ${tmp("uwsgi")};
  scgi_temp_path ${tmp("scgi")};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};
    location / {
      proxy_pass http://${o.upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
    }
  }
}
`,
  );
  const proc = spawn(NGINX!, ["-p", prefix, "-c", conf, "-e", tmp("error.log")], { stdio: ["ignore", "pipe", "pipe"] });
  const t = track(proc);
  await waitForPort(port, proc, () => t.log() + (fs.existsSync(tmp("error.log")) ? fs.readFileSync(tmp("error.log"), "utf8") : ""));
  return { kind: "nginx", url: `https://127.0.0.1:${port}`, port, stop: t.stop };
}
