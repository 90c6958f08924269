/**
 * Where each clip's audio is: the centre's own recording in
 * `kiosk.voice.recordingsDir` (`<dir>/<lang>/<id>.<ogg|opus|mp3|wav|m4a>`)
 * wins over the default set rendered offline into
 * `src/http/public/voice/<lang>/<id>.ogg` (scripts/renderVoiceClips.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { PUBLIC_DIR } from "../http/staticFiles.js";
import { allClips, parseClipList, type Clip, type ClipListDoc } from "./ClipList.js";

/** The default clip set: clips.json, rendered.json and one folder per language. */
export const DEFAULT_VOICE_DIR = path.join(PUBLIC_DIR, "voice");
export const CLIP_LIST_FILE = path.join(DEFAULT_VOICE_DIR, "clips.json");

/** Audio a centre may record in, by extension, with the type the kiosk is sent; the first found wins. */
export const AUDIO_TYPES: Record<string, string> = {
  ".ogg": "audio/ogg",
  ".opus": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".m4a": "audio/mp4",
};

export type ClipStatus = "recorded" | "default" | "missing";

export interface ClipLocation {
  status: ClipStatus;
  /** Absolute path of the audio the kiosk plays (absent when missing). */
  file?: string;
}

/** Read and check the clip list (LockerError Config_Invalid when broken). */
export function readClipList(file = CLIP_LIST_FILE): ClipListDoc {
  return parseClipList(JSON.parse(fs.readFileSync(file, "utf8")), path.basename(file));
}

/** A clip name (`zh-CN/doorOpen.1`) is safe as a path: two plain parts, no dots leading, no separators. */
export function isClipName(lang: string, id: string): boolean {
  return /^[a-zA-Z-]{2,10}$/.test(lang) && /^[a-zA-Z0-9][a-zA-Z0-9.]{0,63}$/.test(id) && !id.includes("..");
}

/** Where clip `lang/id` is played from: a recording, the default, or nowhere. */
export function locateClip(lang: string, id: string, recordingsDir?: string, defaultsDir = DEFAULT_VOICE_DIR): ClipLocation {
  if (!isClipName(lang, id)) return { status: "missing" };
  if (recordingsDir) {
    for (const ext of Object.keys(AUDIO_TYPES)) {
      const f = path.join(recordingsDir, lang, id + ext);
      if (isFile(f)) return { status: "recorded", file: f };
    }
  }
  const d = path.join(defaultsDir, lang, id + ".ogg");
  return isFile(d) ? { status: "default", file: d } : { status: "missing" };
}

export interface ClipReport extends Clip {
  status: ClipStatus;
  file?: string;
}

/** Every clip of the list with where it is played from, and recordings that match no clip (a misspelt name). */
export function clipReport(doc: ClipListDoc, recordingsDir?: string, defaultsDir = DEFAULT_VOICE_DIR): { clips: ClipReport[]; unused: string[] } {
  const clips = allClips(doc).map((c) => ({ ...c, ...locateClip(c.lang, c.id, recordingsDir, defaultsDir) }));
  const known = new Set(clips.map((c) => c.name));
  const unused: string[] = [];
  if (recordingsDir && fs.existsSync(recordingsDir)) {
    for (const lang of fs.readdirSync(recordingsDir)) {
      const dir = path.join(recordingsDir, lang);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const f of fs.readdirSync(dir)) {
        const ext = path.extname(f);
        if (!(ext in AUDIO_TYPES) || !known.has(`${lang}/${path.basename(f, ext)}`)) unused.push(path.join(dir, f));
      }
    }
  }
  return { clips, unused };
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}
