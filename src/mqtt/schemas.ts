/**
 * The contract's JSON schemas (files in `schemas/`), compiled once with ajv.
 * Tests validate real broker payloads with these; integrators use the files.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv as AjvType, ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);

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
  // Next to this module: in src/ (tests), and in dist/src/ where `npm run build` copies them (the installed tree has no src/).
  // The source-tree fallback is for a dist/ compiled by tsc alone.
  const here = new URL(`./schemas/${name}.schema.json`, import.meta.url);
  const file = existsSync(here) ? here : new URL(`../../../src/mqtt/schemas/${name}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/**
 * Validators keyed by schema name; `errorsText` gives a readable reason.
 * Each is compiled when first read: the daemon uses three of the nine, on the
 * first back-office request, and compiling them all (with ajv's meta-schema)
 * cost ~150 ms of a start-up on this machine, ~0.6 s on a Pi.
 */
export function mqttValidators(): Record<SchemaName, ValidateFunction> & { errorsText(v: ValidateFunction): string } {
  let ajv: AjvType | undefined;
  const instance = (): AjvType => {
    if (!ajv) {
      // ajv itself is loaded on first use too (~25 ms of module loading at start-up here).
      const { Ajv } = require("ajv") as typeof import("ajv");
      ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
      addFormats(ajv);
    }
    return ajv;
  };
  const compiled = new Map<SchemaName, ValidateFunction>();
  const out = { errorsText: (v: ValidateFunction) => instance().errorsText(v.errors) } as Record<SchemaName, ValidateFunction> & {
    errorsText(v: ValidateFunction): string;
  };
  for (const n of SCHEMA_NAMES) {
    Object.defineProperty(out, n, {
      enumerable: true,
      get: () => {
        let v = compiled.get(n);
        if (!v) compiled.set(n, (v = instance().compile(loadSchema(n))));
        return v;
      },
    });
  }
  return out;
}

/** The two formats the schemas use (ajv-formats is not a dependency). */
function addFormats(ajv: AjvType): void {
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
}
