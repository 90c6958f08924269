import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "..", "..", "config", "kiosk", "lockerd-kiosk.sh");
let dir: string;
let server: http.Server | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-kiosk-"));
  // stand-in browser: records its arguments and exits
  fs.writeFileSync(path.join(dir, "chromium"), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\n`, { mode: 0o755 });
});
afterEach(() => {
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function runKiosk(url: string, pathVar = `${dir}:/usr/bin:/bin`): Promise<number | null> {
  const child = spawn("/bin/bash", [script], {
    env: { PATH: pathVar, HOME: dir, LOCKERD_KIOSK_URL: url },
    stdio: "ignore",
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
  return new Promise((r) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      r(code);
    }),
  );
}

describe("the kiosk start script", () => {
  it("waits until lockerd answers /healthz, clears Chromium's crash state, then starts it full screen on the kiosk page", async () => {
    const prefs = path.join(dir, ".config", "chromium", "Default", "Preferences");
    fs.mkdirSync(path.dirname(prefs), { recursive: true });
    fs.writeFileSync(prefs, '{"profile":{"exited_cleanly":false,"exit_type":"Crashed"}}');

    let healthChecks = 0;
    server = http.createServer((req, res) => {
      if (req.url === "/healthz") healthChecks++;
      // the daemon is "starting" for the first check
      res.writeHead(req.url === "/healthz" && healthChecks > 1 ? 200 : 503).end();
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/kiosk`;

    expect(await runKiosk(url)).toBe(0);
    expect(healthChecks).toBeGreaterThanOrEqual(2);
    const args = fs.readFileSync(path.join(dir, "args"), "utf8").trim().split("\n");
    expect(args).toEqual(expect.arrayContaining(["--kiosk", "--noerrdialogs", "--disable-translate", "--no-first-run"]));
    // The kiosk speaks its prompts without anyone tapping first.
    expect(args).toContain("--autoplay-policy=no-user-gesture-required");
    expect(args.at(-1)).toBe(url);
    expect(fs.readFileSync(prefs, "utf8")).toBe('{"profile":{"exited_cleanly":true,"exit_type":"Normal"}}');
  });

  it("without curl, waits for the port of LOCKERD_KIOSK_URL instead", async () => {
    for (const tool of ["seq", "sleep", "sed"]) fs.symlinkSync(`/usr/bin/${tool}`, path.join(dir, tool));
    server = http.createServer((_req, res) => res.end());
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/kiosk`;
    expect(await runKiosk(url, dir)).toBe(0);
    expect(fs.readFileSync(path.join(dir, "args"), "utf8").trim().split("\n").at(-1)).toBe(url);
  });

  it("says how to fix a missing browser", async () => {
    fs.rmSync(path.join(dir, "chromium"));
    // PATH holds no browser at all (on merged-/usr systems /bin is /usr/bin, where a real one may live)
    const child = spawn("/bin/bash", [script], { env: { PATH: dir, HOME: dir }, stdio: ["ignore", "ignore", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on("exit", r));
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(err).toContain("chromium is not installed (sudo apt install chromium)");
  });
});
