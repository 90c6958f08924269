/**
 * Issue 9, item 1: what `install.sh --prefix` stages must work on its own.
 * Install into a temporary prefix, start the staged daemon (its own dist, its
 * own pages; `node_modules` stands in for the printed `npm ci --omit=dev`),
 * and fetch /kiosk, /staff, the drop-off page and every asset they name, plus
 * every file the staged public folder holds. The source checkout's `src/` is
 * hidden from the staged tree, so nothing may be read from it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/daemon/nodeFlags.js";
import { cleanEnv, Lines } from "../e2e/support/processes.js";

const root = path.resolve(import.meta.dirname, "..", "..");
let prefix: string;
let app: string;
let daemon: ChildProcess | undefined;
let base: string;
/** The locker screen's own listener (http.kioskPort): the only one that hands out the drop-off QR. */
let kiosk: string;

function walk(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));
}

/** Paths below /assets/ a page or script refers to: src/href attributes, ES imports, CSS url(). */
function assetRefs(text: string, from: string): string[] {
  const refs = new Set<string>();
  for (const m of text.matchAll(/["'(](\/assets\/[^"'()\s?#*]+\.[a-z0-9]+)/g)) refs.add(m[1]!);
  // relative ES module imports inside /assets/ (import … from "./x.js", import("./y.js"))
  if (from.startsWith("/assets/")) {
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)) {
      refs.add(new URL(m[1]!, `http://x${from}`).pathname);
    }
  }
  return [...refs];
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, "dist", "lockerd", "main.js"))) throw new Error("dist/lockerd/main.js missing: run npm run build first");
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-installed-"));
  const r = spawnSync(path.join(root, "scripts", "install.sh"), ["--prefix", prefix, "--no-start"], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  app = path.join(prefix, "opt", "lockerd");
  fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules")), path.join(app, "node_modules"));
  const data = path.join(prefix, "var", "lib", "lockerd");
  const config = path.join(prefix, "test-config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      lockerId: "installed-test",
      dataDir: data,
      bus: { transport: "sim" },
      simulator: { controlPort: 0 },
      // This test fetches every shipped file once (hundreds of voice clips), far above what one client does in a minute.
      http: { host: "127.0.0.1", port: 0, kioskPort: 0, rateLimitPerMinute: 10_000 },
      mqtt: { url: "embedded", embeddedHost: "127.0.0.1", embeddedPort: 0 },
      pins: { scryptCost: 1024 },
    }),
  );
  // cwd outside the checkout: a relative path into src/ would not resolve either.
  daemon = spawn(process.execPath, [...NODE_FLAGS, path.join(app, "dist", "lockerd", "main.js"), "--config", config, "--json-logs"], {
    cwd: prefix,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = new Lines(daemon.stdout!);
  const err = new Lines(daemon.stderr!);
  const exited = new Promise<never>((_, reject) =>
    daemon!.once("exit", (c) => reject(new Error(`staged lockerd exited ${c}:\n${err.all.join("\n")}\n${out.all.slice(-20).join("\n")}`))),
  );
  const ready = await Promise.race([out.waitFor((l) => l.includes('"lockerd ready"'), "lockerd ready line", 30_000), exited]);
  ({ url: base, kioskUrl: kiosk } = JSON.parse(ready) as { url: string; kioskUrl: string });
}, 150_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const gone = new Promise((r) => daemon!.once("exit", r));
    daemon.kill("SIGTERM");
    await gone;
  }
  if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
});

describe("the tree install.sh --prefix stages runs and serves every page", () => {
  it("ships the page files inside dist (no src/ in the installed tree)", () => {
    expect(fs.existsSync(path.join(app, "src"))).toBe(false);
    for (const f of ["kiosk.html", "kiosk.js", "staff.html", "dropoff.html"]) expect(fs.existsSync(path.join(app, "dist", "src", "http", "public", f)), f).toBe(true);
  });

  it("/kiosk, /staff, the drop-off page and every asset they name answer 200 with content", async () => {
    const state = (await (await fetch(`${kiosk}/kiosk/state`)).json()) as { qr: { url: string } };
    const token = state.qr.url.split("/d/")[1]!;
    const seen = new Map<string, number>();
    const queue = ["/kiosk", "/staff", `/d/${token}`];
    while (queue.length) {
      const p = queue.shift()!;
      if (seen.has(p)) continue;
      const res = await fetch(base + p);
      const body = await res.text();
      seen.set(p, res.status);
      expect(res.status, `${p}: ${body.slice(0, 200)}`).toBe(200);
      expect(body.length, p).toBeGreaterThan(0);
      queue.push(...assetRefs(body, p));
    }
    const assets = [...seen.keys()].filter((p) => p.startsWith("/assets/"));
    expect(assets).toEqual(expect.arrayContaining(["/assets/kiosk.js", "/assets/kiosk.css", "/assets/staff.js"]));
    expect(assets.filter((a) => a.startsWith("/assets/rules/")).length, "the shared rule modules the pages import").toBeGreaterThan(0);
  });

  it("every file in the staged public folder is served under /assets/ with its type", async () => {
    const dir = path.join(app, "dist", "src", "http", "public");
    const files = walk(dir);
    expect(files.length).toBeGreaterThan(5);
    let clips = 0;
    for (const f of files) {
      if (f.startsWith("voice/")) {
        // The voice folder has its own routes: each clip at /voice/<lang>/<id>, byte for byte; the lists are read by the server.
        const clip = /^voice\/([\w-]+)\/([\w.-]+)\.ogg$/.exec(f);
        if (!clip) continue;
        const res = await fetch(`${base}/voice/${clip[1]}/${clip[2]}`);
        expect(res.status, f).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(dir, f))), f).toBe(true);
        clips++;
        continue;
      }
      const res = await fetch(`${base}/assets/${f}`);
      expect(res.status, f).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(dir, f))), f).toBe(true);
      if (f.endsWith(".js")) expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    }
    expect(clips, "the default voice clips ship in dist").toBeGreaterThan(100);
    expect((await fetch(`${base}/voice/clips.json`)).status).toBe(200);
    expect((await fetch(`${base}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/assets/.hidden.js`)).status).toBe(404);
  });

  it("the kiosk autostart starts Chromium full screen with audio allowed without a tap", () => {
    const desktop = fs.readFileSync(path.join(root, "config", "kiosk", "lockerd-kiosk.desktop"), "utf8");
    const script = desktop.match(/^Exec=(\S+)/m)![1]!;
    const staged = fs.readFileSync(path.join(prefix, script), "utf8");
    expect(staged).toMatch(/--kiosk\b/);
    expect(staged).toContain("--autoplay-policy=no-user-gesture-required");
  });
});
