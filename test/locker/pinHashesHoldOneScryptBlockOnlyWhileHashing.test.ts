import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MALLOC_ENV, NODE_FLAGS } from "../../src/daemon/nodeFlags.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PINS = path.join(root, "dist/src/locker/pins.js");

// In a fresh process (built code, with the daemon's flags and malloc environment): one hash to warm
// up, then 20 more, four at a time. Each scrypt at the default cost and shape needs 8 MB (128·N·r).
const CHILD = `
import fs from "node:fs";
const { hashPin, verifyPin } = await import(${JSON.stringify(pathToFileURL(PINS).href)});
const mb = (k) => Number(new RegExp(k + ":\\\\s+(\\\\d+)").exec(fs.readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
const stored = await hashPin("482915", 16384);
const warmPeak = mb("VmHWM");
let right = 0;
for (let i = 0; i < 5; i++) for (const ok of await Promise.all(["000001", "482915", "000002", "000003"].map((p) => verifyPin(p, stored)))) right += ok ? 1 : 0;
console.log(JSON.stringify({ warmPeak, peak: mb("VmHWM"), after: mb("VmRSS"), right }));
`;

describe("PIN hashes at the default cost", () => {
  it("run one at a time and give their 8 MB block back when done", () => {
    expect(fs.existsSync(PINS), `${PINS} missing: run npm run build first`).toBe(true);
    const out = execFileSync(process.execPath, [...NODE_FLAGS, "--input-type=module", "-e", CHILD], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...MALLOC_ENV },
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as { warmPeak: number; peak: number; after: number; right: number };
    expect(r.right).toBe(5);
    // The first hash already peaked with its 8 MB block; the 20 after it must not raise the peak by another block (pool: +24 MB).
    expect(r.peak - r.warmPeak, JSON.stringify(r)).toBeLessThan(8);
    // And no pool thread keeps a block once its hash is done (glibc's default: +8 MB per thread for good).
    expect(r.peak - r.after, JSON.stringify(r)).toBeGreaterThan(6);
  }, 150_000);
});
