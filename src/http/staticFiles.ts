/**
 * The self-hosted page assets (HTML, CSS, JS, SVG) in `src/http/public/`.
 * `tsc` does not copy them to `dist/`, so built code looks back into `src/`.
 * Files are read once and kept in memory: there are few and they are small.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const CANDIDATES = [path.join(here, "public"), path.resolve(here, "../../../src/http/public")];

/** Absolute path of the assets folder. */
export const PUBLIC_DIR = CANDIDATES.find((d) => existsSync(path.join(d, "kiosk.html"))) ?? CANDIDATES[0]!;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

const cache = new Map<string, { body: Buffer; type: string }>();

/** An asset by plain file name (no folders), or undefined. */
export function publicFile(name: string): { body: Buffer; type: string } | undefined {
  if (!/^[a-z0-9-]+\.(html|css|js|svg)$/.test(name)) return undefined;
  const hit = cache.get(name);
  if (hit) return hit;
  const file = path.join(PUBLIC_DIR, name);
  if (!existsSync(file)) return undefined;
  const entry = { body: readFileSync(file), type: TYPES[path.extname(name)]! };
  cache.set(name, entry);
  return entry;
}

// The shared rule modules (src/rules/*.ts) that the pages import as
// `/assets/rules/<name>.js`: the compiled copies `npm run build` writes to
// dist/src/rules/ (next to this file once built; from dist/ when run from source).
const RULES_CANDIDATES = [path.resolve(here, "../rules"), path.resolve(here, "../../dist/src/rules")];

/** Absolute path of the compiled rule modules served under /assets/rules/. */
export const RULES_DIR = RULES_CANDIDATES.find((d) => existsSync(path.join(d, "phone.js"))) ?? RULES_CANDIDATES[1]!;

const ruleCache = new Map<string, { body: Buffer; type: string }>();

/** A compiled rule module by plain file name (`phone.js`), or undefined. */
export function ruleModule(name: string): { body: Buffer; type: string } | undefined {
  if (!/^[a-zA-Z0-9-]+\.js$/.test(name)) return undefined;
  const hit = ruleCache.get(name);
  if (hit) return hit;
  const file = path.join(RULES_DIR, name);
  if (!existsSync(file)) return undefined;
  // Drop the source-map comment: the .map (and the .ts it names) are not served.
  const entry = { body: Buffer.from(readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n")), type: TYPES[".js"]! };
  ruleCache.set(name, entry);
  return entry;
}
