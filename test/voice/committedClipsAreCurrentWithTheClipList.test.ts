/**
 * The committed default clips are what the clip list asks for: each clip's
 * entry in rendered.json hashes the voice and words it was rendered from,
 * and the file's own hash, so a changed phrase or pinyin without
 * `npm run voice:render` (or a clip edited by hand) fails here without
 * rendering anything. And the folder holds no clip the list does not name.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { allClips } from "../../src/voice/ClipList.js";
import { DEFAULT_VOICE_DIR, readClipList } from "../../src/voice/clipFiles.js";
import { RENDER_SETTINGS, readManifest, staleClips } from "../../scripts/renderVoiceClips.js";

const clips = allClips(readClipList());

it("every clip of the list is rendered from its current words and voice (run npm run voice:render when not)", () => {
  const manifest = readManifest();
  expect(manifest.settings).toEqual(RENDER_SETTINGS);
  expect(staleClips(clips, manifest)).toEqual([]);
});

it("the default clip folder holds exactly the listed clips, small Ogg Vorbis files", () => {
  const onDisk = fs
    .readdirSync(DEFAULT_VOICE_DIR)
    .filter((d) => fs.statSync(path.join(DEFAULT_VOICE_DIR, d)).isDirectory())
    .flatMap((lang) => fs.readdirSync(path.join(DEFAULT_VOICE_DIR, lang)).map((f) => `${lang}/${f}`));
  expect(onDisk.sort()).toEqual(clips.map((c) => `${c.name}.ogg`).sort());
  let bytes = 0;
  for (const c of clips) {
    const file = fs.readFileSync(path.join(DEFAULT_VOICE_DIR, `${c.name}.ogg`));
    expect(file.subarray(0, 4).toString("latin1"), c.name).toBe("OggS");
    expect(file.includes(Buffer.from("vorbis")), c.name).toBe(true);
    bytes += file.length;
  }
  console.log(`${clips.length} default clips, ${(bytes / 1024).toFixed(0)} KiB`);
  expect(bytes).toBeLessThan(6 * 1024 * 1024);
});
