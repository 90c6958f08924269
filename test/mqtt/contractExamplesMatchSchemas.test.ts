/**
 * MQTT_CONTRACT.md stays true: every JSON example in it validates against
 * the schema of the topic it documents, and every schema file is named in it.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { mqttValidators, SCHEMA_NAMES, type SchemaName } from "../../src/mqtt/schemas.js";

const doc = fs.readFileSync(new URL("../../src/mqtt/MQTT_CONTRACT.md", import.meta.url), "utf8");
const v = mqttValidators();

/** JSON objects in ```json blocks, each with the section it sits under. */
function examples(): Array<{ section: string; value: Record<string, unknown> }> {
  const out: Array<{ section: string; value: Record<string, unknown> }> = [];
  let section = "";
  let inJson = false;
  let buf = "";
  for (const line of doc.split("\n")) {
    if (line.startsWith("## ")) section = line;
    else if (line.startsWith("### ") && section.includes("Back-office")) section = `## Back-office ${line.slice(4)}`;
    else if (line.trim() === "```json") inJson = true;
    else if (inJson && line.trim() === "```") {
      inJson = false;
      if (buf.trim()) throw new Error(`unparsable JSON example under ${section}: ${buf}`);
      buf = "";
    } else if (inJson) {
      buf += line + "\n";
      try {
        out.push({ section, value: JSON.parse(buf) as Record<string, unknown> });
        buf = "";
      } catch {
        // the object continues on the next line
      }
    }
  }
  return out;
}

function schemaFor(section: string, value: Record<string, unknown>): SchemaName {
  if (section.includes("`status`")) return "status";
  if (section.includes("`compartments`")) return "compartments";
  if (section.includes("`events/")) return "event";
  if (section.startsWith("## Back-office `cmd/")) return "sig" in value ? (`backoffice-${section.split("`cmd/")[1]!.split("`")[0]}` as SchemaName) : "backoffice-result";
  if (section.includes("`cmd/")) return "sig" in value ? "command" : "cmd-result";
  throw new Error(`JSON example under an unexpected section: ${section}`);
}

describe("MQTT contract document", () => {
  const all = examples();

  it("has examples for every topic", () => {
    expect(new Set(all.map((e) => schemaFor(e.section, e.value)))).toEqual(new Set(SCHEMA_NAMES));
  });

  it.each(all.map((e, i) => [i + 1, e.section.replace(/^## /, ""), e] as const))("example %i (%s) matches its schema", (_i, _s, e) => {
    const name = schemaFor(e.section, e.value);
    expect(v[name](e.value), `${JSON.stringify(e.value)}\n${v.errorsText(v[name])}`).toBe(true);
  });

  it("names every schema file", () => {
    for (const n of SCHEMA_NAMES) expect(doc).toContain(`${n}.schema.json`);
  });
});
