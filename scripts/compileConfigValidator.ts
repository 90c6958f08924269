/**
 * Build step after `tsc`: write the config schema's validator as plain code
 * (ajv standalone output, CommonJS) to `dist/src/config/configValidator.cjs`,
 * so the daemon and lockerctl load it instead of compiling the schema at every
 * start (~190 ms here, most of a second on a Pi; see src/config/configValidator.ts).
 * test/config/builtConfigValidatorMatchesSchema.test.ts fails when the file is
 * missing or was made from another schema.
 *
 *   node dist/scripts/compileConfigValidator.js   (run by `npm run build`)
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
// A CommonJS module: its default import is module.exports, which carries the function as `.default` too.
import standalone from "ajv/dist/standalone/index.js";
import { configSchema } from "../src/config/configSchema.js";
import { BUILT_VALIDATOR_FILE, CONFIG_AJV_OPTIONS } from "../src/config/configValidator.js";

/** The validator's source text for the current schema. */
export function configValidatorSource(): string {
  const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, code: { source: true } });
  return standalone.default(ajv, ajv.compile(configSchema));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const out = path.join(root, "dist", "src", "config", BUILT_VALIDATOR_FILE);
  writeFileSync(out, configValidatorSource());
  process.stdout.write(`wrote ${path.relative(root, out)}\n`);
}
