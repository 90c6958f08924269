/**
 * `LOCKERD_*` environment overrides, derived from the config schema.
 *
 * Mapping: the key path, each segment in UPPER_SNAKE_CASE, segments joined by
 * a double underscore, prefixed with `LOCKERD_`:
 *   mqtt.url                     → LOCKERD_MQTT__URL
 *   http.port                    → LOCKERD_HTTP__PORT
 *   bus.timeouts.unlockReplyMs   → LOCKERD_BUS__TIMEOUTS__UNLOCK_REPLY_MS
 *   lockerId                     → LOCKERD_LOCKER_ID
 * Values are parsed by the schema type of the key: integers and numbers as
 * decimal numbers, booleans as true/false/1/0/yes/no/on/off, strings as they
 * are, arrays (boards, compartments, matters) as JSON.
 * Every other `LOCKERD_*` variable is an error (a typo must not pass silently),
 * except the ones in {@link NON_CONFIG_ENV}.
 */
import { configSchema, type SchemaNode } from "./configSchema.js";

/** `LOCKERD_*` variables that are not config keys: read by main.ts / lockerctl, ignored here. */
export const NON_CONFIG_ENV: readonly string[] = ["LOCKERD_CONFIG", "LOCKERD_ADMIN_SOCKET"];

/** Notification channel secrets, `LOCKERD_NOTIFY_<ID>_URL` / `_SECRET` (single underscore after NOTIFY): read by src/notify, not config keys. */
export const NOTIFY_SECRET_ENV = /^LOCKERD_NOTIFY_(?!_)[A-Z0-9_]+_(URL|SECRET)$/;

export interface EnvKey {
  /** Environment variable name, e.g. LOCKERD_HTTP__PORT. */
  name: string;
  /** Config key path, e.g. ["http", "port"]. */
  path: string[];
  node: SchemaNode;
}

/** `unlockReplyMs` → `UNLOCK_REPLY_MS`, `zh-CN` → `ZH_CN`. */
function upperSnake(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toUpperCase();
}

/** The environment variable that overrides the key at `path`. */
export function envVarName(path: readonly string[]): string {
  return "LOCKERD_" + path.map(upperSnake).join("__");
}

/** Every key settable from the environment: scalar leaves and whole arrays. */
export function envKeys(node: SchemaNode = configSchema, path: string[] = []): EnvKey[] {
  if (node.type === "object" && node.properties) {
    return Object.entries(node.properties).flatMap(([k, child]) => envKeys(child, [...path, k]));
  }
  return [{ name: envVarName(path), path, node }];
}

export interface EnvOverrideResult {
  /** A partial config holding only the keys set in the environment. */
  values: Record<string, unknown>;
  /** Dotted key path → the variable that set it (for error messages). */
  sources: Map<string, string>;
  /** One message per variable that could not be used. */
  problems: string[];
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/** Parse `raw` by the schema type of `key`; a string result is a problem message. */
function parseValue(key: EnvKey, raw: string): { value: unknown } | string {
  switch (key.node.type) {
    case "integer":
      return /^\s*-?\d+\s*$/.test(raw) ? { value: Number(raw) } : `${key.name} must be an integer (got "${raw}")`;
    case "number": {
      const n = Number(raw);
      return raw.trim() !== "" && Number.isFinite(n) ? { value: n } : `${key.name} must be a number (got "${raw}")`;
    }
    case "boolean": {
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return { value: true };
      if (FALSE.has(v)) return { value: false };
      return `${key.name} must be true or false (got "${raw}")`;
    }
    case "array":
    case "object":
      try {
        return { value: JSON.parse(raw) };
      } catch (e) {
        return `${key.name} must be JSON (${(e as Error).message})`;
      }
    default:
      return { value: raw };
  }
}

/** Read every `LOCKERD_*` variable of `env` into a partial config. */
export function envOverrides(env: NodeJS.ProcessEnv): EnvOverrideResult {
  const byName = new Map(envKeys().map((k) => [k.name, k]));
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith("LOCKERD_") || raw === undefined || NON_CONFIG_ENV.includes(name) || NOTIFY_SECRET_ENV.test(name)) continue;
    const key = byName.get(name);
    if (!key) {
      const hint = closestName(name, [...byName.keys()]);
      problems.push(`${name} is not a known setting${hint ? ` (did you mean ${hint}?)` : ""}`);
      continue;
    }
    const parsed = parseValue(key, raw);
    if (typeof parsed === "string") {
      problems.push(parsed);
      continue;
    }
    let target = values;
    for (const seg of key.path.slice(0, -1)) target = (target[seg] ??= {}) as Record<string, unknown>;
    target[key.path.at(-1)!] = parsed.value;
    sources.set(key.path.join("."), name);
  }
  return { values, sources, problems };
}

/** The candidate nearest to `name` by edit distance, if it is close enough to be a typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
