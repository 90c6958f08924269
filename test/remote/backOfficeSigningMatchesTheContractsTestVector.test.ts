/**
 * The back-office signing rules are exact enough to implement from the
 * contract alone: the test vector and the examples printed in
 * MQTT_CONTRACT.md verify with the locker's own code, key order does not
 * change the signature, and any change to any argument does.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalRequest, signRequest, verifyRequest, type BackOfficeRequest } from "../../src/mqtt/backOffice/requestSigning.js";
import { createHash } from "node:crypto";

const doc = fs.readFileSync(new URL("../../src/mqtt/MQTT_CONTRACT.md", import.meta.url), "utf8");
const SECRET = /secret `([0-9a-f]{64})`/.exec(doc)![1]!;
const section = doc.slice(doc.indexOf("## Back-office API"));
const requests = [...section.matchAll(/^### `cmd\/([a-z-]+)`[\s\S]*?```json\n(\{.*"sig".*\})\n/gm)].map((m) => ({ verb: m[1]!, req: JSON.parse(m[2]!) as BackOfficeRequest }));

describe("back-office request signing", () => {
  it("the contract's three examples carry valid signatures for demo-locker and the documented secret", () => {
    expect(requests.map((r) => r.verb)).toEqual(["dropoff", "case-status", "pickup"]);
    for (const { verb, req } of requests) expect(verifyRequest(SECRET, "demo-locker", verb, req), verb).toBe(true);
  });

  it("the documented args hash is the SHA-256 of the canonical JSON", () => {
    const drop = requests[0]!.req;
    const hash = createHash("sha256").update(canonicalJson(drop.args)).digest("hex");
    expect(section).toContain(`canonical args\nhash \`${hash}\``);
    expect(canonicalRequest("demo-locker", "dropoff", drop).split("\n")).toEqual(["lockerd-req-v1", "demo-locker", "dropoff", drop.id, String(drop.ts), hash]);
  });

  it("sorts keys at every level, keeps non-ASCII as is, and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: "张三", c: [2, { z: true, y: null }] }, u: undefined })).toBe('{"a":{"c":[2,{"y":null,"z":true}],"d":"张三"},"b":1}');
  });

  it("key order does not matter; every argument, the verb, the locker and the id do", () => {
    const { verb, req } = requests[0]!;
    const reordered = { ...req, args: Object.fromEntries(Object.entries(req.args).reverse()) };
    expect(verifyRequest(SECRET, "demo-locker", verb, reordered)).toBe(true);
    for (const k of Object.keys(req.args)) {
      const v = req.args[k];
      const changed = { ...req, args: { ...req.args, [k]: typeof v === "string" ? `${v}x` : typeof v === "number" ? v + 1 : !v } };
      expect(verifyRequest(SECRET, "demo-locker", verb, changed), k).toBe(false);
    }
    expect(verifyRequest(SECRET, "demo-locker", "pickup", req)).toBe(false);
    expect(verifyRequest(SECRET, "other-locker", verb, req)).toBe(false);
    expect(verifyRequest(SECRET, "demo-locker", verb, { ...req, id: "req-00000000" })).toBe(false);
    expect(verifyRequest(SECRET, "demo-locker", verb, { ...req, ts: req.ts + 1 })).toBe(false);
    expect(verifyRequest(SECRET, "demo-locker", verb, { ...req, sig: signRequest("x".repeat(64), "demo-locker", verb, req) })).toBe(false);
  });
});
