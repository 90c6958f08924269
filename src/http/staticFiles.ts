/**
 * The self-hosted page assets (HTML, CSS, JS, SVG…) in the `public/` folder
 * next to this module: `src/http/public/` when run from source (tests), and
 * `dist/src/http/public/` in a build, where `npm run build` copies them
 * (scripts/copyPublicAssets.ts). So an installed tree (`/opt/lockerd/dist`)
 * carries its own pages and never looks for a source checkout.
 * Files are read once and kept in memory: there are few and they are small.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path of the assets folder. */
export const PUBLIC_DIR = path.join(here, "public");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webp": "image/webp",
  ".ogg": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".woff2": "font/woff2",
};

/** One path segment: lower-case name, no leading dot (so never `..` or a hidden file). */
const SEGMENT = /^[a-z0-9_][a-z0-9_.-]*$/;

const cache = new Map<string, { body: Buffer; type: string }>();

/**
 * An asset by its path below the public folder (`kiosk.js`, `audio/zh/door-open.ogg`),
 * or undefined. Only known file types, plain lower-case segments, nothing outside the folder.
 */
export function publicFile(name: string): { body: Buffer; type: string } | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  const segments = name.split("/");
  if (segments.length > 4 || !segments.every((s) => SEGMENT.test(s))) return undefined;
  const type = TYPES[path.extname(name)];
  if (!type) return undefined;
  const file = path.join(PUBLIC_DIR, ...segments);
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  const entry = { body: readFileSync(file), type };
  cache.set(name, entry);
  return entry;
}

/** Fail at start, with what to do, when the pages are not where this build expects them. */
export function assertPublicFilesPresent(): void {
  for (const page of ["kiosk.html", "staff.html", "dropoff.html"]) {
    if (!existsSync(path.join(PUBLIC_DIR, page))) {
      throw new LockerError(
        `the page files are missing: no ${page} in ${PUBLIC_DIR} (run \`npm run build\`, which copies src/http/public into dist; reinstall with scripts/install.sh)`,
        ErrorCode.Config_NotFound,
      );
    }
  }
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
