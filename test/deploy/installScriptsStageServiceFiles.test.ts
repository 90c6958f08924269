import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireTool } from "../support/tools.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const install = path.join(root, "scripts", "install.sh");
const uninstall = path.join(root, "scripts", "uninstall.sh");
const unit = path.join(root, "config", "systemd", "lockerd.service");
let prefix: string;

function sh(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, cwd: os.tmpdir() });
  return { code: r.status, out: r.stdout + r.stderr, error: r.error };
}
const staged = (p: string) => path.join(prefix, p);
const exists = (p: string) => fs.existsSync(staged(p));

beforeEach(() => {
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-install-"));
});
afterEach(() => fs.rmSync(prefix, { recursive: true, force: true }));

describe("install.sh and uninstall.sh stage the service without touching the system", () => {
  it("the scripts parse (bash -n)", () => {
    for (const f of [install, uninstall, path.join(root, "config", "kiosk", "lockerd-kiosk.sh")]) {
      const r = sh("bash", ["-n", f]);
      expect(r.code, `${f}: ${r.out}`).toBe(0);
    }
  });

  it("install --dry-run --prefix writes the program, config, unit, lockerctl and kiosk autostart under the prefix and only prints system commands", () => {
    if (!fs.existsSync(path.join(root, "dist", "lockerd", "main.js"))) throw new Error("dist/lockerd/main.js missing: run npm run build first");
    const r = sh(install, ["--dry-run", "--prefix", prefix, "--kiosk-user", "kioskuser"]);
    expect(r.code, r.out).toBe(0);
    expect(exists("opt/lockerd/dist/lockerd/main.js")).toBe(true);
    expect(exists("opt/lockerd/package-lock.json")).toBe(true);
    // The pages and the default voice clips, inside dist where dist/src/http/staticFiles.js looks for them (no src/ is shipped).
    expect(exists("opt/lockerd/dist/src/http/public/kiosk.html")).toBe(true);
    expect(exists("opt/lockerd/dist/src/http/public/voice/zh-CN/sayIdle.ogg")).toBe(true);
    expect(exists("opt/lockerd/src")).toBe(false);
    expect(fs.readFileSync(staged("etc/lockerd/config.json"), "utf8")).toBe(fs.readFileSync(path.join(root, "config", "raspberry-pi.example.json"), "utf8"));
    const installedUnit = fs.readFileSync(staged("etc/systemd/system/lockerd.service"), "utf8");
    expect(installedUnit).toMatch(
      new RegExp(
        `^ExecStart=${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} --max-semi-space-size=2 --max-old-space-size=256 /opt/lockerd/dist/lockerd/main.js --config /etc/lockerd/config.json$`,
        "m",
      ),
    );
    expect(fs.readFileSync(staged("usr/local/bin/lockerctl"), "utf8")).toContain("/opt/lockerd/dist/src/cli/lockerctl.js");
    expect(fs.readFileSync(staged("home/kioskuser/.config/autostart/lockerd-kiosk.desktop"), "utf8")).toContain("Exec=/opt/lockerd/config/kiosk/lockerd-kiosk.sh");
    expect(r.out).toContain("would run: useradd --system --user-group --groups dialout");
    expect(r.out).toContain("would run: npm ci --omit=dev");
    expect(r.out).toContain("would run: systemctl enable lockerd");
    expect(r.out).not.toMatch(/^\+ /m);
    if (fs.existsSync(path.join(root, "hardware", "99-lockerd.rules"))) expect(exists("etc/udev/rules.d/99-lockerd.rules")).toBe(true);
    else expect(r.out).toContain("99-lockerd.rules not found");
  });

  it("install is idempotent: a second run keeps the site's config and backs up the data before upgrading", () => {
    expect(sh(install, ["--dry-run", "--prefix", prefix]).code).toBe(0);
    fs.writeFileSync(staged("etc/lockerd/config.json"), '{"lockerId":"site-edit"}');
    const again = sh(install, ["--dry-run", "--prefix", prefix]);
    expect(again.code, again.out).toBe(0);
    expect(fs.readFileSync(staged("etc/lockerd/config.json"), "utf8")).toBe('{"lockerId":"site-edit"}');
    expect(again.out).toContain("kept /etc/lockerd/config.json");
    expect(again.out).toMatch(/upgrading from version \S+; data backup to \/var\/backups\/lockerd\//);
    expect(again.out).toContain("would run: systemctl stop lockerd");
  });

  it("install --dry-run without a prefix writes nothing", () => {
    const r = sh(install, ["--dry-run"]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("would install /etc/systemd/system/lockerd.service");
    expect(r.out).not.toMatch(/^installed /m);
  });

  it("uninstall removes program, unit and autostart but keeps config and data unless --purge", () => {
    expect(sh(install, ["--dry-run", "--prefix", prefix, "--kiosk-user", "kioskuser"]).code).toBe(0);
    fs.mkdirSync(staged("var/lib/lockerd"), { recursive: true });
    fs.writeFileSync(staged("var/lib/lockerd/lockerd.db"), "cases");
    const r = sh(uninstall, ["--prefix", prefix, "--kiosk-user", "kioskuser"]);
    expect(r.code, r.out).toBe(0);
    expect(exists("opt/lockerd")).toBe(false);
    expect(exists("etc/systemd/system/lockerd.service")).toBe(false);
    expect(exists("usr/local/bin/lockerctl")).toBe(false);
    expect(exists("home/kioskuser/.config/autostart/lockerd-kiosk.desktop")).toBe(false);
    expect(exists("etc/lockerd/config.json")).toBe(true);
    expect(exists("var/lib/lockerd/lockerd.db")).toBe(true);
    expect(r.out).toContain("would run: systemctl disable --now lockerd");

    const purge = sh(uninstall, ["--prefix", prefix, "--purge"]);
    expect(purge.code, purge.out).toBe(0);
    expect(exists("etc/lockerd")).toBe(false);
    expect(exists("var/lib/lockerd")).toBe(false);
    expect(purge.out).toContain("would run: userdel lockerd");
  });

  it("the unit asks for notify, watchdog, restart, the lockerd user in dialout and a hardened sandbox", () => {
    const text = fs.readFileSync(unit, "utf8");
    for (const line of [
      "Type=notify",
      "NotifyAccess=all",
      "WatchdogSec=30",
      "Restart=on-failure",
      "User=lockerd",
      "SupplementaryGroups=dialout",
      "StateDirectory=lockerd",
      "RuntimeDirectory=lockerd",
      "ProtectSystem=strict",
      "ProtectHome=true",
      "NoNewPrivileges=true",
      "PrivateTmp=true",
      "ReadWritePaths=/var/lib/lockerd",
      "DeviceAllow=/dev/lockerboard rw",
    ]) {
      expect(text).toMatch(new RegExp(`^${line}$`, "m"));
    }
  });

  it.runIf(requireTool("systemd-analyze", "verifying the systemd unit"))("systemd-analyze verify accepts the unit", () => {
    // verify checks that ExecStart's program exists: point it at this machine's node.
    const copy = path.join(prefix, "lockerd.service");
    fs.writeFileSync(copy, fs.readFileSync(unit, "utf8").replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `));
    const r = sh("systemd-analyze", ["verify", copy]);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split("\n").filter((l) => /lockerd\.service/.test(l))).toEqual([]);
  });
});
