/**
 * Build step after `tsc`: copy the page files (`src/http/public/**`) next to
 * the compiled server code (`dist/src/http/public/`), so `dist/` alone serves
 * every page and asset; and the MQTT contract's JSON schemas
 * (`src/mqtt/schemas/*.schema.json`, which the back-office handler validates
 * with) to `dist/src/mqtt/schemas/`. `install.sh` ships `dist/`; nothing reads
 * `src/` at run time. Stale files from an earlier build are removed first.
 *
 *   node dist/scripts/copyPublicAssets.js   (run by `npm run build`)
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const from = path.join(root, "src", "http", "public");
const to = path.join(root, "dist", "src", "http", "public");

if (!existsSync(path.join(from, "kiosk.html"))) {
  process.stderr.write(`copyPublicAssets: ${from} has no kiosk.html; is this a lockerd checkout?\n`);
  process.exit(2);
}
rmSync(to, { recursive: true, force: true });
// tsconfig.json only type-checks the pages (npm run check) and the READMEs (voice/README.md) are for people: neither is served.
cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== "tsconfig.json" && !src.endsWith(".md") });
process.stdout.write(`copied ${path.relative(root, from)} -> ${path.relative(root, to)}\n`);

// The back-office handler compiles these at start (src/mqtt/schemas.ts looks next to itself first).
const schemasFrom = path.join(root, "src", "mqtt", "schemas");
const schemasTo = path.join(root, "dist", "src", "mqtt", "schemas");
rmSync(schemasTo, { recursive: true, force: true });
cpSync(schemasFrom, schemasTo, { recursive: true, filter: (src) => src === schemasFrom || src.endsWith(".schema.json") });
process.stdout.write(`copied ${path.relative(root, schemasFrom)} -> ${path.relative(root, schemasTo)}\n`);
