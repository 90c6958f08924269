/**
 * Build step after `tsc`: copy the page files (`src/http/public/**`) next to
 * the compiled server code (`dist/src/http/public/`), so `dist/` alone serves
 * every page and asset. `install.sh` ships `dist/`; nothing reads `src/` at run
 * time. Stale files from an earlier build are removed first.
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
// tsconfig.json only type-checks the pages (npm run check); it is not served.
cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== "tsconfig.json" });
process.stdout.write(`copied ${path.relative(root, from)} -> ${path.relative(root, to)}\n`);
