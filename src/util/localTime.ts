/**
 * Times for people: an ISO UTC instant shown in the locker's configured zone
 * (`timeZone`, default Asia/Shanghai), always with the zone marked, so a
 * reader never has to guess (UTC on a Qujing screen is 8 hours off). Stored
 * and transmitted times stay ISO UTC; only what a person reads goes through here.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "shortOffset",
    });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
}

/**
 * True when `timeZone` is an IANA zone this Node knows. The list first: the
 * config check runs at every start, and a DateTimeFormat with a zone loads
 * ICU's locale and zone data (~8 MB RSS, measured) that a daemon which never
 * formats a time for a person does not need. Aliases and other spellings
 * ("UTC", "Asia/Kolkata", "asia/shanghai") are not in the list: those still
 * go through DateTimeFormat.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (Intl.supportedValuesOf("timeZone").includes(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset at `iso` as people write it: "UTC+8", "UTC+5:30", "UTC". */
export function zoneMark(iso: string | number, timeZone: string): string {
  const name = parts(toMs(iso), timeZone).timeZoneName ?? "GMT";
  return name === "GMT" || name === "GMT+0" ? "UTC" : name.replace("GMT", "UTC");
}

/** "2026-11-29 20:14:05 UTC+8" (or without seconds). Unparseable input is returned as it is. */
export function localDateTime(iso: string | number, timeZone: string, opts: { seconds?: boolean } = {}): string {
  const ms = toMs(iso);
  if (Number.isNaN(ms)) return String(iso);
  const p = parts(ms, timeZone);
  const time = opts.seconds === false ? `${p.hour}:${p.minute}` : `${p.hour}:${p.minute}:${p.second}`;
  return `${p.year}-${p.month}-${p.day} ${time} ${zoneMark(ms, timeZone)}`;
}

/** "20:14" in the zone (the caller marks the zone once for the whole message). */
export function localClock(iso: string | number, timeZone: string): string {
  const ms = toMs(iso);
  if (Number.isNaN(ms)) return String(iso);
  const p = parts(ms, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** "20:14:05.123" in the zone (frame traces; the caller marks the zone once). */
export function localClockMs(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.hour}:${p.minute}:${p.second}.${String(Math.floor(ms) % 1000).padStart(3, "0")}`;
}

/** "11月29日" in the zone. */
export function localDay(iso: string | number, timeZone: string): string {
  const p = parts(toMs(iso), timeZone);
  return `${Number(p.month)}月${Number(p.day)}日`;
}

function toMs(v: string | number): number {
  return typeof v === "number" ? v : Date.parse(v);
}
