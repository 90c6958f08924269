/**
 * The public HTTP API as a committed document: the document the daemon
 * serves at `/openapi.json` (src/http/openApiDocument.ts) for the default
 * config, pretty-printed with keys sorted so diffs stay small.
 *
 *   npm run openapi            print it
 *   npm run openapi -- --write write src/http/openapi.json
 *
 * test/http/openapiDocumentIsCurrent.test.ts fails when the committed file
 * and the code disagree.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defaultConfig } from "../src/config/defaults.js";
import { VERSION } from "../src/daemon/version.js";
import { openApiDocument as buildOpenApiDocument } from "../src/http/openApiDocument.js";

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_FILE = "src/http/openapi.json";
/** The command that rewrites it. */
export const REGENERATE_COMMAND = "npm run openapi -- --write";

/** The repository root (this file runs from scripts/ under vitest and from dist/scripts/ when built). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("openapi: cannot find the repository root (no package.json above this script)");
    dir = up;
  }
  return dir;
}

/** The OpenAPI document the public app serves at `/openapi.json`, for the default config. */
export async function openApiDocument(): Promise<unknown> {
  return buildOpenApiDocument(defaultConfig(), VERSION);
}

/** Pretty JSON with object keys sorted at every level (array order kept), newline-terminated. */
export function renderStable(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 2) + "\n";
}

async function main(): Promise<void> {
  const text = renderStable(await openApiDocument());
  if (process.argv.includes("--write")) {
    const file = path.join(repoRoot(), OPENAPI_FILE);
    fs.writeFileSync(file, text);
    console.log(`openapi: wrote ${OPENAPI_FILE} (${text.length} bytes)`);
  } else {
    process.stdout.write(text);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
