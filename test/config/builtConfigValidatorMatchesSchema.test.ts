/**
 * `npm run build` writes the config validator as plain code
 * (dist/src/config/configValidator.cjs) so the daemon does not compile the
 * schema at every start; it must judge every config exactly as the schema
 * compiled now does, with the same error objects (the messages are made from
 * them). A dist/ built from another schema fails here.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, it } from "vitest";
import { BUILT_VALIDATOR_FILE, compileConfigValidator } from "../../src/config/configValidator.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { configValidatorSource } from "../../scripts/compileConfigValidator.js";

const built = path.resolve("dist", "src", "config", BUILT_VALIDATOR_FILE);

it("the built config validator is the one the current schema makes", () => {
  expect(fs.existsSync(built), `${built} is missing: run npm run build`).toBe(true);
  if (fs.readFileSync(built, "utf8") !== configValidatorSource()) expect.fail(`${built} was made from another config schema: run npm run build`);
});

it("the built config validator judges valid and broken configs like the schema, with the same errors", () => {
  expect(fs.existsSync(built), `${built} is missing: run npm run build`).toBe(true);
  const fromBuild = (createRequire(import.meta.url)(built) as { default: (d: unknown) => boolean & { errors?: unknown } }).default as ((d: unknown) => boolean) & {
    errors?: unknown;
  };
  const fromSchema = compileConfigValidator();
  const base = defaultConfig() as unknown as Record<string, unknown>;
  const http = base.http as Record<string, unknown>;
  const cases: unknown[] = [
    base,
    { ...base, http: { ...http, port: 70_000 } },
    { ...base, log: { level: "verbose", pretty: "yes" } },
    { ...base, unknownKey: 1 },
    { ...base, compartments: [{ number: "one" }] },
    { ...base, lockerId: "" },
  ];
  const verdicts = cases.map((c) => {
    const a = fromBuild(structuredClone(c));
    const b = fromSchema(structuredClone(c));
    expect(a).toBe(b);
    expect(fromBuild.errors ?? null).toEqual(fromSchema.errors ?? null);
    return a;
  });
  expect(verdicts).toEqual([true, false, false, false, false, false]);
});
