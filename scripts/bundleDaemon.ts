/**
 * Build step after `tsc`: bundle the daemon (dist/src/main.js and what it
 * imports, fastify included) into `dist/lockerd/main.js` with rolldown, the
 * bundler vite already brings. That file is what `npm start`, the systemd unit,
 * the benches and the tests that spawn the daemon run.
 *
 * Why: Node 20 reads each of the ~400 module files of a start separately
 * (resolve, stat, read, scan CommonJS exports, compile): a bundle starts with
 * ~110 ms less CPU here (import of main: ~290 → ~175 ms; bench:start at 25 % of
 * a core: ~0.45 s sooner ready). Node 22's module compile cache would do part
 * of this; Node 20 has none.
 *
 * Left outside (loaded from node_modules as before): native modules
 * (better-sqlite3, serialport), pino (its transports run files from its own
 * folder in a worker), and what the daemon loads only after READY or on
 * demand (mqtt, aedes, qrcode, @fastify/swagger, ajv). Bundled modules keep
 * their own `import.meta.url` (the plugin below rewrites it to the module's
 * file in dist/src/), so the files they find next to themselves (pages,
 * contract schemas, the built config validator, package.json) are found as in
 * dist/src/. dist/src/ stays complete: lockerctl and the tools run from it.
 *
 *   node dist/scripts/bundleDaemon.js   (run by `npm run build`)
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown, type Plugin } from "rolldown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = path.join(root, "dist");
/** The bundle's folder; its entry is `main.js`. */
export const BUNDLE_DIR = path.join(dist, "lockerd");

const EXTERNAL = [/^better-sqlite3/, /^serialport/, /^@serialport\//, /^pino/, /^thread-stream/, /^mqtt/, /^aedes/, /^qrcode/, /^@fastify\/swagger/, /^ajv/];

/** Each module of dist/ sees its own file as `import.meta.url`, not the bundle's chunk. */
const keepModuleUrl: Plugin = {
  name: "keep-module-url",
  transform(code, id) {
    if (!id.startsWith(dist + path.sep) || !code.includes("import.meta.url")) return null;
    const rel = path.relative(BUNDLE_DIR, id).split(path.sep).join("/");
    return { code: code.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`), map: null };
  },
};

const t0 = performance.now();
rmSync(BUNDLE_DIR, { recursive: true, force: true });
const bundle = await rolldown({ input: path.join(dist, "src", "main.js"), platform: "node", external: EXTERNAL, plugins: [keepModuleUrl], logLevel: "warn" });
await bundle.write({
  dir: BUNDLE_DIR,
  format: "esm",
  entryFileNames: "[name].js",
  chunkFileNames: "[name]-[hash].js",
  // V8 keeps each chunk's source text in the heap for as long as the daemon runs: one non-ASCII
  // character (the Chinese messages) makes the whole chunk a two-byte string, and comments are
  // half of it. ASCII escapes and no comments: idle RSS as with dist/src/ (~3 MB less than without).
  charset: "ascii",
  comments: false,
});
await bundle.close();
process.stdout.write(`bundled dist/src/main.js -> ${path.relative(root, BUNDLE_DIR)}/main.js in ${Math.round(performance.now() - t0)} ms\n`);
