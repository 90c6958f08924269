/**
 * No phrase without its clip (issue 14 Must show 3): every phrase of the
 * kiosk texts (zh-CN, zh-TW, en), the phone texts and the case pages' spoken state
 * phrases (zh-CN, en) has an entry
 * in the clip list in that language whose words are the phrase's words, and
 * every value a phrase names (door numbers, several doors, case numbers,
 * waits, times, phone numbers) is said by clips that exist as audio files.
 * Adding a phrase, or changing its words, without its clip fails here.
 */
import { expect, it } from "vitest";
import { CASE_TEXT } from "../../src/http/public/case-text.js";
import { KIOSK_TEXT } from "../../src/http/public/kiosk-text.js";
import { PHONE_TEXT } from "../../src/http/public/phone-text.js";
import { composeClips } from "../../src/http/public/voice-compose.js";
import { pageTemplates, pieces, placeholders, type ClipEntry } from "../../src/voice/ClipList.js";
import { locateClip, readClipList } from "../../src/voice/clipFiles.js";

type Vars = { door?: number; doors?: number[]; caseNo?: string; wait?: number; until?: string; helpPhone?: string; phone?: string };
type Table = Record<string, string | ((v: Vars) => string)>;

const doc = readClipList();
const entries = new Map(doc.clips.map((c) => [`${c.lang}/${c.key}`, c]));
const templates = pageTemplates(doc);
const TABLES: Array<[string, string, Table]> = [
  ...Object.entries(KIOSK_TEXT).map(([lang, t]) => ["kiosk-text.js", lang, t as Table] as [string, string, Table]),
  ...Object.entries(PHONE_TEXT).map(([lang, t]) => ["phone-text.js", lang, t as Table] as [string, string, Table]),
  // The case pages speak the state's title and sentence (csXxxTitle, csXxx; case.js, dropoff.js);
  // the steps, matter, hold and update lines are shown, never spoken.
  ...Object.entries(CASE_TEXT).map(
    ([lang, t]) => ["case-text.js", lang, Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith("cs"))) as Table] as [string, string, Table],
  ),
];
/** Letters a case number can have (src/store/CaseRepo.ts), and more. */
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SAMPLES: Vars[] = [
  { door: 3, doors: [1, 5], caseNo: "A27", wait: 120, until: "14:05", helpPhone: "0874-3126000", phone: "136****1111" },
  { door: 12, doors: [2, 20, 99], caseNo: "Z90", wait: 45, until: "09:30", helpPhone: "12345", phone: "139****0000" },
  { door: 99, doors: [10, 11], caseNo: "K01", wait: 3600, until: "00:00", helpPhone: "400-800-1234", phone: "" },
];

/** The words of an entry's text with `vars` in its placeholders, as the phrase functions word them. */
function fill(e: ClipEntry, v: Vars): string {
  const unit = (k: string) => entries.get(`${e.lang}/${k}`)!.text;
  const value: Record<string, () => string> = {
    door: () => String(v.door),
    doors: () => (v.doors ?? []).join(e.lang === "en" ? ` ${unit("join.doors")} ` : unit("join.doors")),
    ndoors: () => String((v.doors ?? []).length),
    wait: () => (v.wait! >= 60 ? Math.ceil(v.wait! / 60) + (e.lang === "en" ? " " : "") + unit("unit.min") : v.wait + (e.lang === "en" ? " " : "") + unit("unit.s")),
    until: () => v.until!,
    caseNo: () => v.caseNo!,
    helpPhone: () => v.helpPhone!,
    phone: () => v.phone!,
  };
  return e.text.replace(/\{(\w+)\}/g, (_m, name: string) => value[name]!());
}

it("every phrase of the kiosk and phone texts has a clip-list entry in its language with the same words", () => {
  const problems: string[] = [];
  let phrases = 0;
  for (const [file, lang, table] of TABLES) {
    for (const [key, p] of Object.entries(table)) {
      phrases++;
      const e = entries.get(`${lang}/${key}`);
      if (!e) {
        problems.push(`${file} ${lang}.${key}: no entry in src/http/public/voice/clips.json`);
        continue;
      }
      for (const v of SAMPLES) {
        const shown = typeof p === "function" ? p(v) : p;
        if (fill(e, v) !== shown) problems.push(`${file} ${lang}.${key}: the phrase says "${shown}", its clip "${fill(e, v)}"`);
      }
    }
  }
  expect(problems).toEqual([]);
  expect(phrases).toBeGreaterThan(200);
});

it("every phrase, with every kind of value, is said by clips that exist as audio files, in every shipped language", () => {
  const missing = new Set<string>();
  for (const [, lang, table] of TABLES) {
    for (const key of Object.keys(table)) {
      for (const v of [
        ...SAMPLES,
        ...[...LETTERS].map((l, i) => ({ ...SAMPLES[0], caseNo: `${l}${i}`, door: i + 1, wait: i * 97, until: `${String(i).padStart(2, "0")}:${String(i * 2).padStart(2, "0")}` })),
      ]) {
        const said = composeClips(templates, [key], v, lang);
        said.missing.forEach((m) => missing.add(m));
        for (const c of said.clips) {
          const [l, id] = c.split("/") as [string, string];
          if (locateClip(l, id).status !== "default") missing.add(`${c} (no audio file)`);
        }
        // A phrase with words is said with at least one clip.
        const e = entries.get(`${lang}/${key}`)!;
        if (pieces(e.text).join("").trim() || placeholders(e.text).length) expect(said.clips.length, `${lang}/${key}`).toBeGreaterThan(0);
      }
    }
  }
  // Every door number the config allows (1–99), in every language.
  for (const lang of ["zh-CN", "zh-TW", "en"]) for (let door = 1; door <= 99; door++) composeClips(templates, ["doorOpen"], { door }, lang).missing.forEach((m) => missing.add(m));
  expect([...missing]).toEqual([]);
});

it("door numbers are composed from number clips inside the sentence, not one clip per number", () => {
  expect(composeClips(templates, ["doorOpen"], { door: 3 }, "zh-CN").clips).toEqual(["zh-CN/num.3", "zh-CN/doorOpen"]);
  expect(composeClips(templates, ["doorOpen"], { door: 23 }, "zh-CN").clips).toEqual(["zh-CN/num.2", "zh-CN/num.10", "zh-CN/num.3", "zh-CN/doorOpen"]);
  expect(composeClips(templates, ["doorOpen"], { door: 13 }, "en").clips).toEqual(["en/doorOpen.1", "en/num.13", "en/doorOpen.2"]);
  expect(composeClips(templates, ["doorsOpen"], { doors: [1, 5] }, "zh-TW").clips).toEqual(["zh-TW/num.1", "zh-TW/join.doors", "zh-TW/num.5", "zh-TW/doorsOpen"]);
  expect(composeClips(templates, ["caseNo"], { caseNo: "A27" }, "zh-CN").clips).toEqual(["zh-CN/caseNo", "zh-CN/letter.A", "zh-CN/num.2", "zh-CN/num.7"]);
  expect(composeClips(templates, ["lockout"], { wait: 120 }, "zh-CN").clips).toEqual(["zh-CN/lockout.1", "zh-CN/num.2", "zh-CN/unit.min", "zh-CN/lockout.2"]);
  // A clock time is shown with the locker's zone mark (local-time.js) and said without it.
  expect(composeClips(templates, ["lockedNow"], { wait: 60, until: "20:14 UTC+8" }, "zh-CN").clips).toEqual([
    "zh-CN/lockedNow.1",
    "zh-CN/num.1",
    "zh-CN/unit.min",
    "zh-CN/lockedNow.2",
    "zh-CN/num.2",
    "zh-CN/num.10",
    "zh-CN/time.h",
    "zh-CN/num.10",
    "zh-CN/num.4",
    "zh-CN/time.m",
    "zh-CN/lockedNow.3",
  ]);
  expect(composeClips(templates, ["lockedNow"], { wait: 60, until: "09:05 UTC+8" }, "en").clips.slice(-4)).toEqual(["en/lockedNow.2", "en/num.9", "en/time.oh", "en/num.5"]);
  // The phone form's phrases are said in Simplified Chinese on a Traditional kiosk (the phone texts ship no zh-TW).
  expect(composeClips(templates, ["errFull"], {}, "zh-TW").clips).toEqual(["zh-CN/errFull"]);
});

it("the Chinese clips are spoken from tone-numbered pinyin, one syllable per character", () => {
  const bad: string[] = [];
  const digitSyllables = (run: string) => {
    const n = Number(run);
    return run.length > 3 ? run.length : n < 10 ? 1 : n < 20 ? (n % 10 ? 2 : 1) : n % 10 ? 3 : 2;
  };
  for (const e of doc.clips.filter((c) => c.lang.startsWith("zh") && !c.voice)) {
    if (e.pinyin === undefined) {
      bad.push(`${e.lang}/${e.key}: no pinyin`);
      continue;
    }
    const syllables = e.pinyin
      .replace(/\{\w+\}/g, " ")
      .split(/[\s,.;:!?]+/)
      .filter(Boolean);
    const notTone = syllables.filter((s) => !/^[a-zü]+[1-5]$/.test(s));
    if (notTone.length) bad.push(`${e.lang}/${e.key}: not tone-numbered pinyin: ${notTone.join(" ")}`);
    const text = e.text.replace(/\{\w+\}/g, "");
    const want = (text.match(/[\u3400-\u9fff]/g) ?? []).length + (text.match(/\d+/g) ?? []).reduce((n, r) => n + digitSyllables(r), 0);
    if (syllables.length !== want) bad.push(`${e.lang}/${e.key}: ${want} syllables in the text, ${syllables.length} in the pinyin`);
  }
  expect(bad).toEqual([]);
});

it("the clip list has no entry for a phrase that no longer exists", () => {
  const phraseKeys = new Set(TABLES.flatMap(([, lang, t]) => Object.keys(t).map((k) => `${lang}/${k}`)));
  const stale = doc.clips.filter((c) => !/^(num|letter|unit|join|time)\./.test(c.key) && !phraseKeys.has(`${c.lang}/${c.key}`)).map((c) => `${c.lang}/${c.key}`);
  expect(stale).toEqual([]);
});
