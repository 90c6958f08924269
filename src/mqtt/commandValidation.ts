/**
 * Field checks for remote commands (pure). Every verb's payload goes through
 * `commandProblems()` before any signature, clock or database work, so a
 * payload the locker cannot store or act on (a compartment of 1.5 or 1e300,
 * a ts of 0.5, a string where a number belongs) is refused as `malformed`
 * with a list a person can fix, and never reaches SQLite.
 *
 * Verbs added later (back-office drop-off, case status, pickup) describe
 * their fields with a `FieldRules` table and reuse the same checks.
 */

import { COMPARTMENT_NUMBER, REASON_MAX_CHARS } from "../rules/limits.js";

/** One field's rule. Integers must be safe integers within [min, max]. */
export type FieldRule =
  | { kind: "integer"; min: number; max: number; required: boolean; what: string }
  | { kind: "text"; minLength: number; maxLength: number; pattern?: RegExp; required: boolean; what: string };

export type FieldRules = Record<string, FieldRule>;

/** Command ids: single use, safe in topics, logs and the audit trail. */
export const COMMAND_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
/** Unix seconds: 2001-09-09 .. 2286-11-20; anything else is not a signing time. */
const TS_MIN = 1_000_000_000;
const TS_MAX = 9_999_999_999;
/** Compartment numbers as the doors carry them (src/rules/limits.ts). */
export const COMPARTMENT_MIN = COMPARTMENT_NUMBER.min;
export const COMPARTMENT_MAX = COMPARTMENT_NUMBER.max;

/** Fields every signed command carries. */
export const SIGNED_FIELDS: FieldRules = {
  id: { kind: "text", minLength: 8, maxLength: 64, pattern: COMMAND_ID_RE, required: true, what: "id must be 8–64 characters of A-Z a-z 0-9 _ -" },
  ts: { kind: "integer", min: TS_MIN, max: TS_MAX, required: true, what: "ts must be unix seconds (a whole number)" },
  sig: { kind: "text", minLength: 64, maxLength: 64, pattern: /^[0-9a-f]{64}$/, required: true, what: "sig must be the lowercase hex HMAC-SHA256 (64 characters)" },
};

const compartment = (required: boolean): FieldRule => ({
  kind: "integer",
  min: COMPARTMENT_MIN,
  max: COMPARTMENT_MAX,
  required,
  what: `one compartment number, a whole number ${COMPARTMENT_MIN}–${COMPARTMENT_MAX}`,
});
const reason = (required: boolean): FieldRule => ({
  kind: "text",
  minLength: 1,
  maxLength: REASON_MAX_CHARS,
  required,
  what: `reason must be text of 1–${REASON_MAX_CHARS} characters`,
});

/** The fields of each built-in verb (beyond SIGNED_FIELDS). */
export const VERB_FIELDS: Record<"open" | "disable" | "enable" | "ping", FieldRules> = {
  open: { compartment: compartment(true), reason: reason(true) },
  disable: { compartment: compartment(true), reason: reason(true) },
  enable: { compartment: compartment(true), reason: reason(false) },
  ping: {},
};

/** True for a number that is a whole number within [min, max] (rejects 1.5, 1e300, NaN, -0 is 0). */
export function isIntegerIn(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;
}

/**
 * Every problem with `payload` against `rules` (SIGNED_FIELDS are added);
 * empty when it is well formed. Unknown fields are problems too: a field we
 * do not sign could be changed in transit.
 */
export function commandProblems(payload: Record<string, unknown>, rules: FieldRules): string[] {
  const all = { ...SIGNED_FIELDS, ...rules };
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(all)) {
    const v = payload[name];
    if (v === undefined) {
      if (rule.required) problems.push(`${name} is missing: ${rule.what}`);
      continue;
    }
    if (rule.kind === "integer") {
      if (Array.isArray(v)) problems.push(`${name}: only one value per command (${rule.what})`);
      else if (!isIntegerIn(v, rule.min, rule.max)) problems.push(`${name} ${describe(v)} is not allowed: ${rule.what}`);
    } else if (typeof v !== "string" || v.length < rule.minLength || v.length > rule.maxLength || (rule.pattern && !rule.pattern.test(v)) || v.trim().length === 0) {
      problems.push(`${name} is not allowed: ${rule.what}`);
    }
  }
  const extra = Object.keys(payload).filter((k) => !(k in all));
  if (extra.length)
    problems.push(
      `unknown field(s): ${extra
        .map((k) => k.replace(/[^A-Za-z0-9_-]/g, "?").slice(0, 32))
        .slice(0, 10)
        .join(", ")}`,
    );
  return problems;
}

/** A short, safe rendering of a wrong value for the refusal message. */
function describe(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v).slice(0, 24) : String(v);
  if (typeof v === "string") return `(text, ${v.length} characters)`;
  if (v === null) return "(null)";
  return `(${typeof v})`;
}
