import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPENAPI_FILE, REGENERATE_COMMAND, openApiDocument, renderStable, repoRoot } from "../../scripts/openapiDocument.js";

interface Operation {
  summary?: string;
  responses?: Record<string, { description?: string }>;
}
interface Doc {
  openapi: string;
  info: { title?: string; version?: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, { required?: string[] }> };
}

describe("the committed OpenAPI document", () => {
  it("is exactly what the public app serves at /openapi.json", async () => {
    const served = renderStable(await openApiDocument());
    const file = path.join(repoRoot(), OPENAPI_FILE);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (committed !== served) {
      expect.fail(`${OPENAPI_FILE} is out of date with the route schemas in src/http/: run \`${REGENERATE_COMMAND}\` and commit the result`);
    }
  }, 60_000);

  it("has a title, the package version, the error body and a summary on every route", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(repoRoot(), OPENAPI_FILE), "utf8")) as Doc;
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe("lockerd public API");
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.description).toContain("{code, error, message");
    expect(doc.components?.schemas?.LockerErrorBody?.required).toEqual(["code", "error", "message"]);
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${p}`, op })));
    expect(operations.map((o) => o.route)).toEqual(expect.arrayContaining(["POST /api/pickup", "POST /api/dropoff", "POST /kiosk/pickup", "GET /readyz"]));
    expect(operations.filter((o) => !o.op.summary?.trim()).map((o) => o.route)).toEqual([]);
    const pickup403 = doc.paths["/api/pickup"]!.post!.responses!["403"];
    expect(pickup403?.description).toContain("{code, error, message");
  });
});
