/**
 * Renders the default spoken-prompt clips offline from the clip list
 * (src/http/public/voice/clips.json) with Debian's espeak-ng and sox:
 * Chinese from tone-numbered pinyin by the `cmn-latn-pinyin` voice (the `cmn`
 * voice reads Chinese characters as gibberish), English by `en-us`.
 * Output: `voice/<lang>/<id>.ogg` (Ogg Vorbis, mono, 16 kHz, ~4 KB per second
 * of speech) and `voice/rendered.json`, which records for each clip a hash
 * of what was rendered and of the file, so a test can tell the committed
 * clips are current without rendering (Ogg files differ byte-wise run to run).
 *
 *   npm run voice:render            render what changed, drop clips no longer listed
 *   npm run voice:render -- --check  exit 1 (rendering nothing) when any clip is not current
 *   npm run voice:render -- --all    render every clip again
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { allClips, type Clip } from "../src/voice/ClipList.js";
import { CLIP_LIST_FILE, DEFAULT_VOICE_DIR, readClipList } from "../src/voice/clipFiles.js";

const run = promisify(execFile);

/** How every clip is rendered; part of each clip's source hash, so changing it re-renders all. */
export const RENDER_SETTINGS = {
  /** espeak-ng words per minute: slower than its 175 default, for elderly listeners. */
  wordsPerMinute: 150,
  /** Output sample rate, Hz: enough for speech, a third of the size of 44.1 kHz. */
  sampleRate: 16000,
  /** Vorbis quality (sox -C), -1…10: 0 ≈ 64 kbit/s nominal, plenty for synthetic speech. */
  vorbisQuality: 0,
  /** Every clip peak-normalised to this, dBFS, so composed prompts do not jump in loudness. */
  peakDb: -1,
} as const;

export const MANIFEST_FILE = path.join(DEFAULT_VOICE_DIR, "rendered.json");

export interface Manifest {
  settings: typeof RENDER_SETTINGS;
  clips: Record<string, { source: string; sha256: string; bytes: number }>;
}

/** Hash of everything that decides a clip's sound. */
export function sourceHash(c: Clip): string {
  return createHash("sha256")
    .update(JSON.stringify([c.voice, c.speak, RENDER_SETTINGS]))
    .digest("hex")
    .slice(0, 16);
}

export function fileHash(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function readManifest(): Manifest {
  return fs.existsSync(MANIFEST_FILE) ? (JSON.parse(fs.readFileSync(MANIFEST_FILE, "utf8")) as Manifest) : { settings: RENDER_SETTINGS, clips: {} };
}

/** Clip names whose committed audio is not what the list asks for (missing, changed, or edited by hand). */
export function staleClips(clips: Clip[], manifest: Manifest, dir = DEFAULT_VOICE_DIR): string[] {
  return clips
    .filter((c) => {
      const m = manifest.clips[c.name];
      const file = path.join(dir, c.lang, `${c.id}.ogg`);
      return !m || m.source !== sourceHash(c) || !fs.existsSync(file) || fileHash(file) !== m.sha256;
    })
    .map((c) => c.name);
}

/** Render clip `c` to `<outDir>/<lang>/<id>.ogg` (espeak-ng to a WAV in `tmp`, then sox to Ogg Vorbis). */
export async function render(c: Clip, tmp: string, outDir = DEFAULT_VOICE_DIR): Promise<void> {
  const wav = path.join(tmp, `${c.lang}-${c.id}.wav`);
  const out = path.join(outDir, c.lang, `${c.id}.ogg`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await run("espeak-ng", ["-v", c.voice, "-s", String(RENDER_SETTINGS.wordsPerMinute), "-w", wav, "--", c.speak]);
  const s = RENDER_SETTINGS;
  await run("sox", [wav, "-c", "1", "-r", String(s.sampleRate), "-C", String(s.vorbisQuality), out, "gain", "-n", String(s.peakDb)]);
  fs.rmSync(wav);
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const clips = allClips(readClipList());
  const manifest = readManifest();
  const stale = new Set(args.has("--all") ? clips.map((c) => c.name) : staleClips(clips, manifest));
  if (args.has("--check")) {
    if (stale.size) {
      console.error(`${stale.size} clip(s) not current with ${path.relative(process.cwd(), CLIP_LIST_FILE)}: ${[...stale].slice(0, 10).join(", ")}`);
      console.error("run: npm run voice:render");
      process.exit(1);
    }
    console.log(`${clips.length} clips current`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-voice-"));
  const todo = clips.filter((c) => stale.has(c.name));
  // Two at a time: espeak-ng and sox are single-threaded and quick.
  const next = todo[Symbol.iterator]();
  const worker = async () => {
    for (let r = next.next(); !r.done; r = next.next()) await render(r.value, tmp);
  };
  await Promise.all([worker(), worker()]);
  fs.rmSync(tmp, { recursive: true, force: true });
  const out: Manifest = { settings: RENDER_SETTINGS, clips: {} };
  for (const c of [...clips].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(DEFAULT_VOICE_DIR, c.lang, `${c.id}.ogg`);
    out.clips[c.name] = { source: sourceHash(c), sha256: fileHash(file), bytes: fs.statSync(file).size };
  }
  // Clips no longer listed go, so the folder is exactly the list.
  let dropped = 0;
  for (const lang of fs.readdirSync(DEFAULT_VOICE_DIR)) {
    const dir = path.join(DEFAULT_VOICE_DIR, lang);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir)) if (!out.clips[`${lang}/${path.basename(f, ".ogg")}`]) fs.rmSync(path.join(dir, f)), dropped++;
  }
  fs.writeFileSync(MANIFEST_FILE, JSON.stringify(out, null, 1) + "\n");
  const bytes = Object.values(out.clips).reduce((n, c) => n + c.bytes, 0);
  console.log(`rendered ${todo.length}, dropped ${dropped}; ${clips.length} clips, ${(bytes / 1024).toFixed(0)} KiB in ${path.relative(process.cwd(), DEFAULT_VOICE_DIR)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
