/** The V8 flags lockerd is measured with are the ones it runs with: npm start and the systemd unit carry NODE_FLAGS. */
import fs from "node:fs";
import { expect, it } from "vitest";
import { MALLOC_ENV, NODE_FLAGS } from "../../src/daemon/nodeFlags.js";

it("npm start and the systemd unit run node with NODE_FLAGS", () => {
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  const unit = fs.readFileSync("config/systemd/lockerd.service", "utf8");
  const flags = NODE_FLAGS.join(" ");
  expect(pkg.scripts.start).toBe(`node ${flags} dist/src/main.js --demo`);
  expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node ${flags} /opt/lockerd/dist/src/main.js `, "m"));
});

it("the systemd unit sets the malloc environment the benchmarks measure with", () => {
  const unit = fs.readFileSync("config/systemd/lockerd.service", "utf8");
  for (const [k, v] of Object.entries(MALLOC_ENV)) expect(unit).toMatch(new RegExp(`^Environment=${k}=${v}$`, "m"));
});
