/** The V8 flags lockerd is measured with are the ones it runs with: npm start and the systemd unit carry NODE_FLAGS. */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { MALLOC_ENV, NODE_FLAGS } from "../../src/daemon/nodeFlags.js";

// From the repository root, whatever the worker's working directory.
const ROOT = path.resolve(import.meta.dirname, "../..");
const UNIT = path.join(ROOT, "config/systemd/lockerd.service");

it("npm start and the systemd unit run node with NODE_FLAGS (npm start with MALLOC_ENV too)", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const unit = fs.readFileSync(UNIT, "utf8");
  const flags = NODE_FLAGS.join(" ");
  const env = Object.entries(MALLOC_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  expect(pkg.scripts.start).toBe(`env ${env} node ${flags} dist/lockerd/main.js --demo`);
  expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node ${flags} /opt/lockerd/dist/lockerd/main.js `, "m"));
});

it("the systemd unit sets the malloc environment the benchmarks measure with", () => {
  const unit = fs.readFileSync(UNIT, "utf8");
  for (const [k, v] of Object.entries(MALLOC_ENV)) expect(unit).toMatch(new RegExp(`^Environment=${k}=${v}$`, "m"));
});
