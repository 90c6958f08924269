/**
 * System tools some suites need (socat for pseudo-terminals, Mosquitto,
 * Chromium, openssl…). On a laptop without one, the suite is skipped with a
 * printed reason; under CI (`CI` set) a missing tool fails the run, since CI
 * installs them all (.ci/run) and a skip there would hide a broken install.
 *
 *   const socat = requireTool("socat");
 *   describe.skipIf(!socat)("over a real pseudo-terminal", () => { ... });
 *
 * Never `if (!ok) return;` inside a test: that reports a pass for a test that
 * did not run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Tool → the Debian package that installs it (the hint printed with the skip). */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  socat: "socat",
  mosquitto: "mosquitto",
  mosquitto_sub: "mosquitto-clients",
  mosquitto_pub: "mosquitto-clients",
  mosquitto_passwd: "mosquitto",
  chromium: "chromium",
  openssl: "openssl",
  "systemd-analyze": "systemd",
  "espeak-ng": "espeak-ng",
  sox: "sox",
  pgrep: "procps",
};

/** Folders searched besides PATH (sbin is often missing from a user's PATH; Debian puts mosquitto there). */
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Absolute path of an executable `name`, or undefined. */
export function findTool(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const warned = new Set<string>();

/**
 * True when every tool is installed. Otherwise: under CI throw (the suite
 * fails); elsewhere print once why the suite is skipped and return false.
 * `why` names what needs the tools, for the message.
 */
export function requireTool(names: string | string[], why = "these tests", env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = (Array.isArray(names) ? names : [names]).filter((n) => !findTool(n, env));
  if (missing.length === 0) return true;
  const pkgs = [...new Set(missing.map((n) => TOOL_PACKAGES[n] ?? n))].join(" ");
  const message = `${why} need ${missing.join(", ")}, which is not installed (apt-get install ${pkgs})`;
  if (env.CI) throw new Error(`${message}; CI installs it in .ci/run, so its absence is a failure, not a skip`);
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(`SKIPPED: ${message}`);
  }
  return false;
}

/**
 * How to run `mount`/`umount` here: `[]` as root, `["sudo", "-n"]` where
 * password-less sudo works (CI runners), else undefined — then, like
 * `requireTool`, under CI throw (a skip there would hide the test), elsewhere
 * print once why the suite is skipped.
 */
export function requireMount(why = "these tests", env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (process.getuid?.() === 0) return [];
  if (findTool("sudo", env) && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0) return ["sudo", "-n"];
  const message = `${why} need root or password-less sudo (they mount a tmpfs)`;
  if (env.CI) throw new Error(`${message}; CI has it, so its absence is a failure, not a skip`);
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(`SKIPPED: ${message}`);
  }
  return undefined;
}
