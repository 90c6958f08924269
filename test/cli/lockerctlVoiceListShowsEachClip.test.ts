/**
 * `lockerctl voice list` (issue 14 item 1): every clip the kiosk can say, with
 * its words, as default, recorded (the centre's file in
 * kiosk.voice.recordingsDir, relative to the config file) or missing; a
 * table for people, --json for scripts, exit codes a script can test.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { clipReport, readClipList } from "../../src/voice/clipFiles.js";

const LOCKERCTL = path.resolve("dist/src/cli/lockerctl.js");
let dir: string;
let config: string;

function lockerctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [LOCKERCTL, ...args], { env: { ...process.env, LOCKERD_ADMIN_SOCKET: "/nonexistent/admin.sock", LOCKERD_CONFIG: "" } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-voice-cli-"));
  fs.mkdirSync(path.join(dir, "recordings", "zh-CN"), { recursive: true });
  fs.copyFileSync("src/http/public/voice/zh-CN/thanks.ogg", path.join(dir, "recordings", "zh-CN", "sayIdle.ogg"));
  fs.writeFileSync(path.join(dir, "recordings", "zh-CN", "sayIdel.mp3"), "misspelt");
  config = path.join(dir, "lockerd.json");
  fs.writeFileSync(config, JSON.stringify({ dataDir: "data", kiosk: { voice: { volume: 70, recordingsDir: "recordings" } } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("shows each clip as default or recorded, with its words, and warns about a recording no clip uses", async () => {
  const r = await lockerctl(["voice", "list", "--config", config, "--lang", "zh-CN"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^clip\s+status\s+words/);
  expect(r.stdout).toMatch(/zh-CN\/sayIdle\s+recorded\s+您好。存材料/);
  expect(r.stdout).toMatch(/zh-CN\/doorOpen\s+default\s+号门已打开/);
  expect(r.stdout).not.toMatch(/^en\//m);
  expect(r.stdout).toMatch(/\d+ clips: \d+ default, 1 recorded, 0 missing; recordings: .*recordings/);
  expect(r.stdout).toMatch(/warning: .*sayIdel\.mp3 is not used/);
});

it("--json lists every clip with status and file; --status filters", async () => {
  const r = await lockerctl(["--json", "voice", "list", "--config", config, "--status", "recorded"]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { ok: boolean; counts: Record<string, number>; clips: Array<Record<string, unknown>>; unusedRecordings: string[] };
  expect(out.ok).toBe(true);
  expect(out.clips).toEqual([
    {
      clip: "zh-CN/sayIdle",
      lang: "zh-CN",
      id: "sayIdle",
      key: "sayIdle",
      status: "recorded",
      file: path.join(dir, "recordings", "zh-CN", "sayIdle.ogg"),
      text: expect.stringMatching(/^您好/),
    },
  ]);
  expect(out.counts.recorded).toBe(1);
  expect(out.unusedRecordings).toEqual([path.join(dir, "recordings", "zh-CN", "sayIdel.mp3")]);
});

it("exit 1 when the recordings folder is not there, 2 for a bad option or an invalid config", async () => {
  const gone = path.join(dir, "gone.json");
  fs.writeFileSync(gone, JSON.stringify({ dataDir: "data", kiosk: { voice: { volume: 70, recordingsDir: "no-such-folder" } } }));
  const r1 = await lockerctl(["voice", "list", "--config", gone]);
  expect(r1.code).toBe(1);
  expect(r1.stdout).toMatch(/warning: the recordings folder .*no-such-folder does not exist/);
  expect((await lockerctl(["voice", "list", "--config", config, "--status", "loud"])).code).toBe(2);
  expect((await lockerctl(["voice", "list", "--config", config, "--lang", "fr"])).code).toBe(2);
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, JSON.stringify({ kiosk: { voice: { volume: 300 } } }));
  const r2 = await lockerctl(["voice", "list", "--config", bad]);
  expect(r2.code).toBe(2);
  expect(r2.stderr + r2.stdout).toMatch(/kiosk\.voice\.volume/);
});

it("a clip with neither a recording nor a default file is missing", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-voice-empty-"));
  const { clips } = clipReport(readClipList(), path.join(dir, "recordings"), empty);
  expect(clips.find((c) => c.name === "zh-CN/doorOpen")).toMatchObject({ status: "missing" });
  expect(clips.find((c) => c.name === "zh-CN/sayIdle")).toMatchObject({ status: "recorded" });
  fs.rmSync(empty, { recursive: true });
});
