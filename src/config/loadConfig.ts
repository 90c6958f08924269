/**
 * Builds the daemon's configuration: `defaultConfig()`, deep-merged with a JSON
 * config file, overlaid with `LOCKERD_*` environment variables (envOverrides.ts),
 * overlaid with programmatic overrides (tests, CLI flags); validated once
 * (schema + cross-field rules), every problem reported in one error, then
 * deep-frozen.
 *
 * Merging: objects merge key by key; arrays (boards, compartments, matters)
 * and scalars replace. Relative `dataDir`, `http.adminSocket`, the mqtt TLS
 * files and `mqtt.commandSecretFile` are resolved against the config file's
 * folder (the working directory when there is no file). When no source sets
 * `http.adminSocket` it is `<dataDir>/admin.sock`.
 */
import fs from "node:fs";
import path from "node:path";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { LockerConfig } from "./LockerConfig.js";
import { defaultConfig } from "./defaults.js";
import { configValidator } from "./configValidator.js";
import { envOverrides } from "./envOverrides.js";
import { formatSchemaError, keyPath } from "./formatSchemaErrors.js";
import { checkConfigSemantics } from "./checkConfigSemantics.js";
import { DEFAULT_BAUD, type ProtocolName } from "../protocol/index.js";

/** Any nested part of T may be left out. Arrays are given whole. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface LoadConfigOptions {
  /**
   * JSON config file; missing → Config_NotFound, unreadable → Config_Unreadable.
   * Default: `LOCKERD_CONFIG` of `env` when set, else none (defaults only).
   */
  file?: string;
  /** Environment to read `LOCKERD_*` from. Default: process.env. Pass `{}` to ignore the environment. */
  env?: NodeJS.ProcessEnv;
  /** Applied last (tests, command-line flags). Relative paths are resolved like the file's. */
  overrides?: DeepPartial<LockerConfig>;
  /** Folder for relative paths when there is no file. Default: process.cwd(). */
  cwd?: string;
}

/**
 * Load, merge, validate and freeze the configuration.
 * @throws LockerError Config_NotFound / Config_Unreadable for the file, Config_Invalid listing every problem.
 */
export function loadConfig(opts: LoadConfigOptions = {}): LockerConfig {
  const environment = opts.env ?? process.env;
  const given = opts.file ?? (environment.LOCKERD_CONFIG || undefined);
  const file = given === undefined ? undefined : path.resolve(opts.cwd ?? process.cwd(), given);
  const baseDir = file ? path.dirname(file) : path.resolve(opts.cwd ?? process.cwd());
  const fromFile = file ? readConfigFile(file) : {};
  const env = envOverrides(environment);

  let merged: Record<string, unknown> = defaultConfig() as unknown as Record<string, unknown>;
  for (const layer of [fromFile, env.values, (opts.overrides ?? {}) as Record<string, unknown>]) merged = deepMerge(merged, layer);
  const socketSet = [fromFile, env.values, opts.overrides].some((l) => isObject(l) && isObject(l.http) && "adminSocket" in l.http);
  resolvePaths(merged, baseDir, socketSet);
  const baudSet = [fromFile, env.values, opts.overrides].some((l) => isObject(l) && isObject(l.bus) && "baudRate" in l.bus);
  if (!baudSet) defaultBaud(merged);

  const validate = configValidator();
  const schemaOk = validate(merged);
  const problems = [
    ...env.problems,
    ...(schemaOk ? [] : (validate.errors ?? []).map((e) => annotate(formatSchemaError(e), keyPath(e.instancePath), env.sources))),
    ...checkConfigSemantics(merged).map((m) => annotate(m, m.split(" ")[0]!, env.sources)),
  ];
  if (problems.length > 0) {
    const where = file ? `config file ${file}` : "configuration (defaults, LOCKERD_* environment and overrides)";
    const noun = problems.length === 1 ? "problem" : "problems";
    throw new LockerError(`${where} has ${problems.length} ${noun}:\n${problems.map((p) => `  - ${p}`).join("\n")}`, ErrorCode.Config_Invalid, {
      file,
      problems,
    });
  }
  return deepFreeze(merged) as unknown as LockerConfig;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new LockerError(`config file ${file} does not exist`, ErrorCode.Config_NotFound, { file });
    throw new LockerError(`config file ${file} cannot be read (${code ?? (e as Error).message})`, ErrorCode.Config_Unreadable, { file });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new LockerError(`config file ${file} is not valid JSON: ${(e as Error).message}`, ErrorCode.Config_Invalid, {
      file,
      problems: [`not valid JSON: ${(e as Error).message}`],
    });
  }
  if (!isObject(parsed)) {
    throw new LockerError(`config file ${file} must hold a JSON object {...}`, ErrorCode.Config_Invalid, { file, problems: ["not a JSON object"] });
  }
  // "$schema" lets editors validate the file; it is not a setting.
  const { $schema: _schema, ...rest } = parsed;
  return rest;
}

/** Say which environment variable set a bad key, when one did. */
function annotate(message: string, dotted: string, sources: Map<string, string>): string {
  const key = dotted.replace(/\[\d+\].*$/, "");
  for (const [p, name] of sources) if (key === p || key.startsWith(p + ".")) return `${message} (from ${name})`;
  return message;
}

function resolvePaths(c: Record<string, unknown>, baseDir: string, socketSet: boolean): void {
  const abs = (v: unknown) => (typeof v === "string" && v !== "" ? path.resolve(baseDir, v) : v);
  c.dataDir = abs(c.dataDir);
  const http = isObject(c.http) ? c.http : undefined;
  if (http && !socketSet && typeof c.dataDir === "string") http.adminSocket = path.join(c.dataDir, "admin.sock");
  if (http) http.adminSocket = abs(http.adminSocket);
  if (http) for (const k of ["certFile", "keyFile"]) if (k in http) http[k] = abs(http[k]);
  const mqtt = isObject(c.mqtt) ? c.mqtt : undefined;
  if (mqtt) for (const k of ["caFile", "certFile", "keyFile", "commandSecretFile"]) if (k in mqtt) mqtt[k] = abs(mqtt[k]);
  if (mqtt && Array.isArray(mqtt.embeddedUsers)) for (const u of mqtt.embeddedUsers) if (isObject(u) && "passwordFile" in u) u.passwordFile = abs(u.passwordFile);
  const channels = isObject(c.notify) && Array.isArray(c.notify.channels) ? c.notify.channels : [];
  for (const ch of channels) if (isObject(ch)) for (const k of ["urlFile", "secretFile"]) if (k in ch) ch[k] = abs(ch[k]);
  const voice = isObject(c.kiosk) && isObject(c.kiosk.voice) ? c.kiosk.voice : undefined;
  if (voice && "recordingsDir" in voice) voice.recordingsDir = abs(voice.recordingsDir);
}

/** No source named a line speed: use the bus protocol's factory speed (Kerong 19200, 8A/80 9600). */
function defaultBaud(c: Record<string, unknown>): void {
  const bus = isObject(c.bus) ? c.bus : undefined;
  const protocol = bus?.protocol;
  if (bus && typeof protocol === "string" && protocol in DEFAULT_BAUD) bus.baudRate = DEFAULT_BAUD[protocol as ProtocolName];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Objects merge by key; arrays and scalars from `patch` replace; `undefined` leaves the base. */
export function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : structuredClone(v);
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
