/**
 * The render pipeline behind the committed clips still works here
 * (scripts/renderVoiceClips.ts: espeak-ng → WAV → sox → Ogg Vorbis): a
 * Chinese clip from pinyin and an English one come out as mono 16 kHz Ogg
 * Vorbis with real speech in them, into a temporary folder.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { allClips } from "../../src/voice/ClipList.js";
import { readClipList } from "../../src/voice/clipFiles.js";
import { render, RENDER_SETTINGS } from "../../scripts/renderVoiceClips.js";

const has = (tool: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const missing = ["espeak-ng", "sox", "soxi"].filter((t) => !has(t));
if (missing.length) {
  const why = `the voice render test needs ${missing.join(", ")} (apt install espeak-ng sox)`;
  if (process.env.CI) throw new Error(why);
  console.warn(`SKIPPED: ${why}`);
}
const out = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-render-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it.skipIf(missing.length > 0)("renders a Chinese clip from pinyin and an English clip to small mono 16 kHz Ogg Vorbis with speech in it", async () => {
  const clips = allClips(readClipList()).filter((c) => c.name === "zh-CN/doorOpen" || c.name === "en/sayPin");
  expect(clips.map((c) => c.voice)).toEqual(["cmn-latn-pinyin", "en-us"]);
  for (const c of clips) {
    await render(c, out, out);
    const file = path.join(out, c.lang, `${c.id}.ogg`);
    const info = (flag: string) => execFileSync("soxi", [flag, file], { encoding: "utf8" }).trim();
    expect(info("-t"), c.name).toBe("vorbis");
    expect(Number(info("-r")), c.name).toBe(RENDER_SETTINGS.sampleRate);
    expect(Number(info("-c")), c.name).toBe(1);
    // "hao4 men2 yi3 da3 kai1" is five syllables: about a second or two at 150 words/min, not a blip.
    expect(Number(info("-D")), c.name).toBeGreaterThan(0.8);
    expect(fs.statSync(file).size, c.name).toBeLessThan(40 * 1024);
  }
});
