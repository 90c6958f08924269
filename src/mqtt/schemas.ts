/**
 * The contract's JSON schemas (files in `schemas/`), compiled once with ajv.
 * Tests validate real broker payloads with these; integrators use the files.
 */
import { existsSync, readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

export const SCHEMA_NAMES = [
  "status",
  "event",
  "compartments",
  "command",
  "cmd-result",
  "backoffice-dropoff",
  "backoffice-case-status",
  "backoffice-pickup",
  "backoffice-result",
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The parsed schema file `schemas/<name>.schema.json`. */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  // From src/ (tests) the files sit next to this module; from dist/src/ they stay in the source tree.
  const here = new URL(`./schemas/${name}.schema.json`, import.meta.url);
  const file = existsSync(here) ? here : new URL(`../../../src/mqtt/schemas/${name}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** Validators keyed by schema name; `errorsText` gives a readable reason. */
export function mqttValidators(): Record<SchemaName, ValidateFunction> & { errorsText(v: ValidateFunction): string } {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  const out = {} as Record<SchemaName, ValidateFunction>;
  for (const n of SCHEMA_NAMES) out[n] = ajv.compile(loadSchema(n));
  return Object.assign(out, { errorsText: (v: ValidateFunction) => ajv.errorsText(v.errors) });
}

/** The two formats the schemas use (ajv-formats is not a dependency). */
function addFormats(ajv: Ajv): void {
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
}
