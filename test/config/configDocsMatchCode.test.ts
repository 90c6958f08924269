import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { configSchema, type SchemaNode } from "../../src/config/configSchema.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { Ajv } from "ajv";
import { defaultConfigJson, editorSchemaJson, withReference } from "../../scripts/configReference.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
const REGENERATE = "run: npm run build && node dist/scripts/configReference.js --write";

/** Leaf key paths of a value; list items as `name[]` (the first item stands for all). */
function leafKeys(v: unknown, prefix = ""): string[] {
  if (Array.isArray(v)) return v.length > 0 && typeof v[0] === "object" ? leafKeys(v[0], `${prefix}[]`) : [prefix];
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, child]) => [...(Array.isArray(child) ? [prefix ? `${prefix}.${k}` : k] : []), ...leafKeys(child, prefix ? `${prefix}.${k}` : k)]);
  }
  return [prefix];
}

function schemaKeys(n: SchemaNode, prefix = ""): string[] {
  if (n.type === "object") return Object.entries(n.properties ?? {}).flatMap(([k, c]) => schemaKeys(c, prefix ? `${prefix}.${k}` : k));
  if (n.type === "array" && n.items?.type === "object") return [prefix, ...schemaKeys(n.items, `${prefix}[]`)];
  return [prefix];
}

describe("config documents match the code", () => {
  it("the schema knows every key of defaultConfig() (add new config fields to src/config/configSchema.ts)", () => {
    const known = new Set(schemaKeys(configSchema));
    expect(leafKeys(defaultConfig()).filter((k) => !known.has(k))).toEqual([]);
  });

  it("config/default.json is defaultConfig() written out", () => {
    expect(read("config/default.json"), REGENERATE).toBe(defaultConfigJson());
  });

  it("config/README.md lists every key of defaultConfig() and its reference table is current", () => {
    const readme = read("config/README.md");
    for (const key of leafKeys(defaultConfig())) expect(readme, `config/README.md lacks ${key}`).toContain(`\`${key}\``);
    expect(readme, REGENERATE).toBe(withReference(readme));
  });

  it("config/lockerd.schema.json is current and accepts the shipped configs", () => {
    const text = read("config/lockerd.schema.json");
    expect(text, REGENERATE).toBe(editorSchemaJson());
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(text));
    for (const f of ["config/default.json", "config/raspberry-pi.example.json"]) {
      expect(validate({ $schema: "./lockerd.schema.json", ...JSON.parse(read(f)) }), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("config/default.json and the Raspberry Pi example are valid configs", () => {
    expect(loadConfig({ file: path.join(root, "config/default.json"), env: {} }).lockerId).toBe("demo-locker");
    // The example names TLS files of a real site (broker client and the pages' HTTPS); here only those may be missing.
    try {
      loadConfig({ file: path.join(root, "config/raspberry-pi.example.json"), env: {} });
    } catch (e) {
      const problems = (e as { context: { problems: string[] } }).context.problems;
      expect(problems.filter((p) => !/^(mqtt|http)\.(caFile|certFile|keyFile) \/etc\/lockerd\/tls\/\S+ does not exist$/.test(p))).toEqual([]);
    }
  });
});
