/** The V8 flags lockerd is measured with are the ones it runs with: npm start and the systemd unit carry NODE_FLAGS. */
import fs from "node:fs";
import { expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/daemon/nodeFlags.js";

it("npm start and the systemd unit run node with NODE_FLAGS", () => {
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  const unit = fs.readFileSync("config/systemd/lockerd.service", "utf8");
  const flags = NODE_FLAGS.join(" ");
  expect(pkg.scripts.start).toBe(`node ${flags} dist/src/main.js --demo`);
  expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node ${flags} /opt/lockerd/dist/src/main.js `, "m"));
});
