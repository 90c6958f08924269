/**
 * lockerctl on a real daemon: `events` shows the newest entries first and
 * pages back with --before (the review's technician saw seq 1–200 of 7,009);
 * and nothing a resident, a staff member or a remote client wrote can drive
 * the technician's terminal: ESC sequences, OSC 8 links, carriage returns,
 * newlines and bidi overrides in names, notes and audit reasons are printed
 * visibly escaped, in tables and in plain output.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect } from "vitest";
import { lockerTest, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { escapeControls } from "../../src/cli/output.js";

const CLI = path.resolve("dist/src/cli/lockerctl.js");
const NASTY = "\u001b[2J\u001b[H\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\rFAKE LINE\n\u202eevil\u009b";

function ctl(h: LockerHarness, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, "--socket", h.config.http.adminSocket, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Any byte a terminal would act on (C0 but newline, DEL, C1, bidi overrides). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this must find
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("lockerctl audit views and terminal safety", () => {
  lockerTest("events shows the newest first and pages back with --before; --since filters", {
    testBody: async (h) => {
      const l = h.daemon.locker;
      for (let i = 0; i < 120; i++) l.recordAudit({ kind: "technician", id: "t", via: "admin" }, "test-entry", "ok", { reason: `entry ${i}` });
      const newest = (h.daemon.db.prepare("SELECT max(seq) AS m FROM audit").get() as { m: number }).m;

      const first = JSON.parse((await ctl(h, "--json", "events", "--tail", "10")).stdout) as Array<{ seq: number; reason: string }>;
      expect(first.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => newest - i));
      expect(first[0]!.reason).toBe("entry 119");

      const table = await ctl(h, "events", "--tail", "10");
      expect(table.code).toBe(0);
      const seqs = table.stdout
        .split("\n")
        .slice(2, 12)
        .map((line) => Number(line.trim().split(/\s+/)[0]));
      expect(seqs).toEqual(first.map((e) => e.seq));
      expect(table.stdout).toContain(`lockerctl events --before ${newest - 9}`);

      const page2 = JSON.parse((await ctl(h, "--json", "events", "--tail", "10", "--before", String(newest - 9))).stdout) as Array<{ seq: number }>;
      expect(page2.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => newest - 10 - i));

      const future = JSON.parse((await ctl(h, "--json", "events", "--since", "2100-01-01T00:00:00Z")).stdout) as unknown[];
      expect(future).toEqual([]);
      for (const bad of ["0x10", "1e3", "-5", "ten"]) expect((await ctl(h, "events", "--tail", bad)).code).toBe(2);
      expect((await ctl(h, "events", "--before", "0x5")).code).toBe(2);
    },
  });

  lockerTest("case and events print names, notes and reasons with control characters escaped, never raw", {
    testBody: async (h) => {
      const l = h.daemon.locker;
      const d = await l.startDropoff(
        { token: l.currentDropoffLink().url, matter: "residence-permit", phone: "13812345678", pin: "730241", consent: true, name: "张\u001b[31m三", note: NASTY.slice(0, 190) },
        { kind: "resident", id: "k", via: "kiosk", client: "k" },
      );
      await waitFor(() => l.compartments().find((c) => c.number === d.compartment)?.door === "open", "door open", 15_000);
      l.recordAudit({ kind: "remote", id: "cmd-12345678", via: "mqtt" }, "mqtt.open", "refused", { reason: NASTY });

      const one = await ctl(h, "case", d.caseNumber);
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).not.toMatch(RAW_CONTROL);
      expect(one.stdout).toContain("张\\x1b[31m三");
      expect(one.stdout).toContain("\\x1b]8;;https://evil.example\\x07");
      expect(one.stdout).not.toContain("\nFAKE LINE"); // the note's newline is shown as \n, not obeyed

      const ev = await ctl(h, "events", "--tail", "5");
      expect(ev.stdout).not.toMatch(RAW_CONTROL);
      expect(ev.stdout).toContain(escapeControls(NASTY).slice(0, 40));
      expect(ev.stdout.split("\n").some((line) => line.startsWith("FAKE LINE"))).toBe(false);

      // --json stays exact JSON (JSON escapes control characters itself).
      // (`lockerctl case` audited its look at the full phone after the refusal: take the refusal's row.)
      const json = JSON.parse((await ctl(h, "--json", "events", "--tail", "5")).stdout) as Array<{ action: string; reason: string }>;
      expect(json.find((r) => r.action === "mqtt.open")?.reason).toBe(NASTY);

      // Error messages quoting what the daemon sent are escaped too.
      const missing = await ctl(h, "case", "A\u001b[2J");
      expect(missing.stderr).not.toMatch(RAW_CONTROL);
    },
  });
});
