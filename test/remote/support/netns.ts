/**
 * A client on its own network: a Linux network namespace joined to this host
 * by a veth pair with a /30 of our own (10.231.<n>.0/30: host .1, client .2).
 * Only the namespace and the two interfaces created here are touched, and
 * `remove()` deletes them (deleting the namespace deletes the veth pair).
 * Needs root and iproute2: missing → print why and skip on a laptop, fail
 * under CI.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface ClientNetwork {
  /** Namespace name. */
  ns: string;
  /** The host's address on the link (lockerd listens here). */
  hostAddress: string;
  /** The client's address inside the namespace. */
  clientAddress: string;
  /** Run a command inside the namespace; resolves with stdout (throws with stderr on failure). */
  exec(cmd: string, args: string[]): string;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" }).toString();

/** Whether namespaces can be made here. */
export function netnsAvailable(): boolean {
  const why =
    process.getuid?.() !== 0
      ? "network-namespace tests skipped: they need root (ip netns add)"
      : spawnSync("sh", ["-c", "command -v ip"]).status !== 0
        ? "network-namespace tests skipped: iproute2 is not installed (apt-get install iproute2)"
        : spawnSync("ip", ["netns", "list"]).status !== 0
          ? "network-namespace tests skipped: this kernel or container does not allow network namespaces"
          : undefined;
  if (!why) return true;
  if (process.env.CI) throw new Error(`${why}; CI must run them`);
  console.warn(why);
  return false;
}

/** Make the namespace, the veth pair and the addresses; the link is up when this returns. */
export function createClientNetwork(): ClientNetwork {
  const used = ip("-4", "-o", "addr", "show");
  let n = 0;
  for (let i = 0; i < 50; i++) {
    n = randomBytes(1)[0]!;
    if (!used.includes(`10.231.${n}.`)) break;
  }
  const tag = randomBytes(3).toString("hex");
  const ns = `lockerd-${tag}`;
  const hostIf = `lkh${tag}`;
  const clientIf = `lkc${tag}`;
  const hostAddress = `10.231.${n}.1`;
  const clientAddress = `10.231.${n}.2`;
  ip("netns", "add", ns);
  const remove = () => {
    spawnSync("ip", ["netns", "del", ns]);
    spawnSync("ip", ["link", "del", hostIf]); // normally gone with the namespace already
  };
  try {
    ip("link", "add", hostIf, "type", "veth", "peer", "name", clientIf);
    ip("link", "set", clientIf, "netns", ns);
    ip("addr", "add", `${hostAddress}/30`, "dev", hostIf);
    ip("link", "set", hostIf, "up");
    ip("-n", ns, "addr", "add", `${clientAddress}/30`, "dev", clientIf);
    ip("-n", ns, "link", "set", clientIf, "up");
    ip("-n", ns, "link", "set", "lo", "up");
  } catch (err) {
    remove();
    throw err;
  }
  return {
    ns,
    hostAddress,
    clientAddress,
    exec: (cmd, args) => execFileSync("ip", ["netns", "exec", ns, cmd, ...args], { stdio: "pipe", timeout: 30_000 }).toString(),
    remove,
  };
}

export interface NsClient {
  /** One HTTP request made from inside the namespace, as `{status, body}` (body parsed when JSON). */
  fetch(url: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: Record<string, unknown> | string }>;
  close(): void;
}

/**
 * A Node process inside the namespace that makes the requests it is sent
 * (JSON lines on stdin → JSON lines on stdout). Started once and driven
 * asynchronously, so the daemon under test (in this process) keeps running
 * while the client waits.
 */
export function startNsClient(net: ClientNetwork): NsClient {
  const script = `
const rl = (await import("node:readline")).createInterface({ input: process.stdin });
for await (const line of rl) {
  const { n, url, method, body } = JSON.parse(line);
  let out;
  try {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed; try { parsed = JSON.parse(text); } catch { parsed = text; }
    out = { n, status: res.status, body: parsed };
  } catch (err) { out = { n, status: 0, body: String(err) }; }
  process.stdout.write(JSON.stringify(out) + "\\n");
}`;
  const child = spawn("ip", ["netns", "exec", net.ns, process.execPath, "--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting = new Map<number, (r: { status: number; body: Record<string, unknown> | string }) => void>();
  let buf = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (c: string) => {
    buf += c;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const r = JSON.parse(buf.slice(0, nl)) as { n: number; status: number; body: Record<string, unknown> | string };
      buf = buf.slice(nl + 1);
      waiting.get(r.n)?.(r);
      waiting.delete(r.n);
    }
  });
  // A client that died answers every pending request with status 0 rather than leaving the test hanging.
  child.on("exit", (code) => {
    for (const [n, done] of waiting) done({ status: 0, body: `namespace client exited with ${code}` }), waiting.delete(n);
  });
  let seq = 0;
  return {
    fetch(url, init = {}) {
      const n = ++seq;
      return new Promise((resolve) => {
        waiting.set(n, resolve);
        child.stdin!.write(JSON.stringify({ n, url, method: init.method ?? (init.body === undefined ? "GET" : "POST"), body: init.body }) + "\n");
      });
    },
    close() {
      child.stdin!.end();
      child.kill();
    },
  };
}
