import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateDeviceSecret } from "../../src/locker/deviceSecret.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("the device secret (it signs every drop-off QR) is never left readable by others", () => {
  it("an existing secret file restored with mode 0644 is used unchanged and set back to 0600", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-secret-"));
    dirs.push(dir);
    const file = path.join(dir, "device-secret");
    const hexText = "ab".repeat(32);
    fs.writeFileSync(file, hexText + "\n", { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(loadOrCreateDeviceSecret(file).toString("hex")).toBe(hexText);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
