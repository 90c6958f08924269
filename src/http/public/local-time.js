// @ts-check
/**
 * Times for people on the pages: in the locker's zone (config `timeZone`, sent
 * by the server) and marked with its offset, e.g. "2026-11-29 20:14 UTC+8",
 * so a phone or a laptop set to another zone never shows a wrong hour.
 * Kept to ES2017 syntax like the phone pages that import it.
 */

/** The zone when the server has not said one (the product's home zone). */
export const DEFAULT_ZONE = "Asia/Shanghai";

/**
 * The parts of a time in `zone`, and the zone's mark ("UTC+8", "UTC").
 * @param {number} ms epoch milliseconds
 * @param {string} zone IANA zone
 */
function parts(ms, zone) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "shortOffset",
  });
  /** @type {Record<string, string>} */
  const p = {};
  f.formatToParts(ms).forEach((x) => {
    p[x.type] = x.value;
  });
  const name = p.timeZoneName || "GMT";
  const mark = name === "GMT" || name === "GMT+0" ? "UTC" : name.replace("GMT", "UTC");
  return { date: `${p.year}-${p.month}-${p.day}`, clock: `${p.hour}:${p.minute}`, mark };
}

/**
 * Date and time of an ISO instant in the locker's zone, marked:
 * "2026-11-29 20:14 UTC+8". Empty for no time; the text itself if unreadable.
 * @param {string | undefined} iso
 * @param {string} [zone]
 */
export function localTime(iso, zone) {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  try {
    const p = parts(ms, zone || DEFAULT_ZONE);
    return `${p.date} ${p.clock} ${p.mark}`;
  } catch (_e) {
    // A browser without this zone's data: UTC, said so.
    return `${iso.replace("T", " ").slice(0, 16)} UTC`;
  }
}

/**
 * Clock time (no date) of epoch `ms` in the locker's zone, marked: "20:14 UTC+8".
 * For "until" times within the next hours (a pickup lockout).
 * @param {number} ms
 * @param {string} [zone]
 */
export function localClock(ms, zone) {
  try {
    const p = parts(ms, zone || DEFAULT_ZONE);
    return `${p.clock} ${p.mark}`;
  } catch (_e) {
    const iso = new Date(ms).toISOString();
    return `${iso.slice(11, 16)} UTC`;
  }
}
