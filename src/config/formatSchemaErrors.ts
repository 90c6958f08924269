/**
 * Turns ajv errors into one line each that a technician can act on:
 * "bus.timeouts.unlockReplyMs must be >= 1500 (got 200)".
 */
import type { ErrorObject } from "ajv";
import { closestName } from "./envOverrides.js";

/** `/compartments/2/channel` → `compartments[2].channel`. */
export function keyPath(instancePath: string, extra?: string): string {
  const segments = instancePath.split("/").slice(1);
  if (extra !== undefined) segments.push(extra);
  let out = "";
  for (const raw of segments) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  }
  return out === "" ? "(the config)" : out;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

const TYPE_WORDS: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object {...}",
  array: "a list [...]",
};

/** One message for one ajv error (ajv must run with `verbose: true` so `data` is set). */
export function formatSchemaError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const got = `(got ${show(e.data)})`;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      const hint = closestName(key, allowed);
      return `${keyPath(e.instancePath, key)} is not a known key${hint ? ` (did you mean ${hint}?)` : ""}; allowed here: ${allowed.join(", ")}`;
    }
    case "required":
      return `${keyPath(e.instancePath, String(p.missingProperty))} is required`;
    case "type": {
      const want = String(p.type);
      const hint = want === "integer" && typeof e.data === "number" ? " (no fractions)" : "";
      return `${keyPath(e.instancePath)} must be ${TYPE_WORDS[want] ?? want}${hint} ${got}`;
    }
    case "minimum":
      return `${keyPath(e.instancePath)} must be >= ${String(p.limit)} ${got}`;
    case "maximum":
      return `${keyPath(e.instancePath)} must be <= ${String(p.limit)} ${got}`;
    case "enum":
      return `${keyPath(e.instancePath)} must be one of ${(p.allowedValues as unknown[]).map(show).join(", ")} ${got}`;
    case "minLength":
      return p.limit === 1 ? `${keyPath(e.instancePath)} must not be empty` : `${keyPath(e.instancePath)} must be at least ${String(p.limit)} characters ${got}`;
    case "maxLength":
      return `${keyPath(e.instancePath)} must be at most ${String(p.limit)} characters ${got}`;
    case "pattern":
      return `${keyPath(e.instancePath)} must match ${String(p.pattern)} ${got}`;
    case "minItems":
      return `${keyPath(e.instancePath)} must list at least ${String(p.limit)} item(s) (got ${(e.data as unknown[]).length})`;
    case "maxItems":
      return `${keyPath(e.instancePath)} must list at most ${String(p.limit)} item(s) (got ${(e.data as unknown[]).length})`;
    default:
      return `${keyPath(e.instancePath)} ${e.message ?? "is invalid"} ${got}`;
  }
}
