/**
 * The config schema's validator (ajv, every problem at once, verbose).
 *
 * `npm run build` writes it as plain code next to this module
 * (`configValidator.cjs`, made by scripts/compileConfigValidator.ts with ajv's
 * standalone output): loading that takes ~5 ms, where compiling the schema
 * took ~190 ms of every start on this machine (ajv itself, its meta-schema
 * and the code generation; about four times that on a Raspberry Pi). Where
 * there is no built file (the source tree under the tests, or a dist/ made by
 * tsc alone) the schema is compiled here with the same options;
 * test/config/builtConfigValidatorMatchesSchema checks the two agree.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Options, ValidateFunction } from "ajv";
import { configSchema } from "./configSchema.js";

/** The ajv options of both forms. */
export const CONFIG_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true };

/** File name of the built validator, next to this module in dist/src/config/. */
export const BUILT_VALIDATOR_FILE = "configValidator.cjs";

const require = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

/** The validator: the built one when present, else compiled now. */
export function configValidator(): ValidateFunction {
  if (validator) return validator;
  const built = new URL(`./${BUILT_VALIDATOR_FILE}`, import.meta.url);
  validator = existsSync(built) ? (require(fileURLToPath(built)) as { default: ValidateFunction }).default : compileConfigValidator();
  return validator;
}

/** Compile the schema with ajv (loaded only here: the daemon normally never needs it to start). */
export function compileConfigValidator(options: Options = CONFIG_AJV_OPTIONS): ValidateFunction {
  const { Ajv } = require("ajv") as typeof import("ajv");
  return new Ajv(options).compile(configSchema);
}
