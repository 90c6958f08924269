/**
 * The clip list (`src/http/public/voice/clips.json`): every phrase the kiosk
 * and the phone page speak, by phrase key and language, as a text template
 * with `{door}`-style placeholders, and what the offline voice says for it
 * (tone-numbered pinyin for Chinese, the English words for English).
 *
 * A template is cut at its placeholders; each piece with something to say is
 * one audio clip, named by the phrase key (`doorOpen`) or, when a phrase has
 * several pieces, `doorOpen.1`, `doorOpen.2`. Numbers, letters and units are
 * clips of their own (`num.3`, `letter.A`, `unit.min`…) that the page puts in
 * the placeholders (src/http/public/voice-compose.js). Pure: no I/O here.
 */
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** One entry of clips.json. */
export interface ClipEntry {
  key: string;
  lang: string;
  /** The phrase as shown, placeholders included. */
  text: string;
  /** Tone-numbered pinyin with the same placeholders (Chinese). */
  pinyin?: string;
  /** What the voice says instead of `text` (English), same placeholders. */
  say?: string;
  /** espeak-ng voice for this entry instead of the language's. */
  voice?: string;
}

export interface ClipListDoc {
  voices: Record<string, string>;
  clips: ClipEntry[];
}

/** One audio clip: a speakable piece of one entry. */
export interface Clip {
  /** `<lang>/<id>`: the clip's name in URLs, files and `lockerctl voice list`. */
  name: string;
  lang: string;
  id: string;
  key: string;
  /** The words of this piece as shown. */
  text: string;
  /** What espeak-ng is given. */
  speak: string;
  voice: string;
}

/** A page template part: a clip id, or a placeholder the page fills. */
export type TemplatePart = string | { v: string };

const PLACEHOLDER = /\{(\w+)\}/g;
/** A piece is worth a clip when it has a letter, digit or Han character (not just spaces and punctuation). */
const SPEAKABLE = /[A-Za-z0-9\u3400-\u9fff]/;

/** Placeholder names of a template, in order. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The literal pieces of a template around its placeholders (n placeholders → n + 1 pieces). */
export function pieces(template: string): string[] {
  return template.split(PLACEHOLDER).filter((_p, i) => i % 2 === 0);
}

export function isSpeakable(piece: string): boolean {
  return SPEAKABLE.test(piece);
}

/** Check the document's shape and that every entry's spoken form lines up with its text; throws LockerError (Config_Invalid). */
export function parseClipList(raw: unknown, source = "clips.json"): ClipListDoc {
  const problems: string[] = [];
  const doc = raw as Partial<ClipListDoc>;
  if (!doc || typeof doc !== "object" || typeof doc.voices !== "object" || !Array.isArray(doc.clips)) {
    throw new LockerError(`${source}: expected {voices, clips: [...]}`, ErrorCode.Config_Invalid, { file: source });
  }
  const seen = new Set<string>();
  doc.clips.forEach((c, i) => {
    const at = `${source} clips[${i}] (${c?.lang}/${c?.key})`;
    if (typeof c?.key !== "string" || typeof c.lang !== "string" || typeof c.text !== "string") return problems.push(`${at}: key, lang and text are strings`);
    if (!doc.voices![c.lang] && !c.voice) problems.push(`${at}: no voice for language ${c.lang}`);
    if (seen.has(`${c.lang}/${c.key}`)) problems.push(`${at}: listed twice`);
    seen.add(`${c.lang}/${c.key}`);
    const spoken = spokenTemplate(c);
    if (placeholders(spoken).join() !== placeholders(c.text).join()) problems.push(`${at}: the spoken form's placeholders differ from the text's`);
    const a = pieces(c.text).map(isSpeakable);
    const b = pieces(spoken).map(isSpeakable);
    if (a.join() !== b.join()) problems.push(`${at}: the spoken form has something to say where the text has not (or the other way round)`);
    return undefined;
  });
  if (problems.length) throw new LockerError(`${source}: ${problems.length} problem(s): ${problems.slice(0, 5).join("; ")}`, ErrorCode.Config_Invalid, { file: source, problems });
  return doc as ClipListDoc;
}

function spokenTemplate(c: ClipEntry): string {
  return c.pinyin ?? c.say ?? c.text;
}

/** The clips of one entry, and its page template (clip ids and placeholders in order). */
export function entryClips(c: ClipEntry, voices: Record<string, string>): { clips: Clip[]; template: TemplatePart[] } {
  const shown = pieces(c.text);
  const spoken = pieces(spokenTemplate(c));
  const names = placeholders(c.text);
  const count = shown.filter(isSpeakable).length;
  const clips: Clip[] = [];
  const template: TemplatePart[] = [];
  shown.forEach((piece, i) => {
    if (isSpeakable(piece)) {
      const id = count === 1 ? c.key : `${c.key}.${clips.length + 1}`;
      clips.push({ name: `${c.lang}/${id}`, lang: c.lang, id, key: c.key, text: piece.trim(), speak: spoken[i]!.trim(), voice: c.voice ?? voices[c.lang]! });
      template.push(id);
    }
    if (i < names.length) template.push({ v: names[i]! });
  });
  return { clips, template };
}

/** Every clip of the list, in list order. */
export function allClips(doc: ClipListDoc): Clip[] {
  return doc.clips.flatMap((c) => entryClips(c, doc.voices).clips);
}

/** What the pages need: per language, per key, the template of clip ids and placeholders. */
export function pageTemplates(doc: ClipListDoc): Record<string, Record<string, TemplatePart[]>> {
  const out: Record<string, Record<string, TemplatePart[]>> = {};
  for (const c of doc.clips) (out[c.lang] ??= {})[c.key] = entryClips(c, doc.voices).template;
  return out;
}
