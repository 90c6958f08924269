/**
 * A client on its own network: a Linux network namespace joined to this host
 * by a veth pair with a /30 of our own (10.231.<n>.0/30: host .1, client .2).
 * Only the namespace and the two interfaces created here are touched, and
 * `remove()` deletes them (deleting the namespace deletes the veth pair).
 * Needs root and iproute2: missing → print why and skip on a laptop, fail
 * under CI.
 */
import { execFileSync, spawnSync } from "node:child_process";
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

/**
 * One HTTP request from inside the namespace (Node's fetch in a child
 * process there), as `{status, body}`; the body is parsed JSON when it is JSON.
 */
export function fetchFrom(net: ClientNetwork, url: string, init: { method?: string; body?: unknown } = {}): { status: number; body: Record<string, unknown> | string } {
  const script = `
const [url, method, body] = process.argv.slice(1);
const res = await fetch(url, { method, headers: body ? { "content-type": "application/json" } : {}, body: body || undefined });
const text = await res.text();
let parsed; try { parsed = JSON.parse(text); } catch { parsed = text; }
process.stdout.write(JSON.stringify({ status: res.status, body: parsed }));`;
  const out = net.exec(process.execPath, ["--input-type=module", "-e", script, url, init.method ?? (init.body ? "POST" : "GET"), init.body === undefined ? "" : JSON.stringify(init.body)]);
  return JSON.parse(out) as { status: number; body: Record<string, unknown> | string };
}
