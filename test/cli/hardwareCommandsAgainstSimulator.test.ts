import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { requireTool } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

const socat = requireTool("socat", "the pseudo-terminal tests");
const LOCKERCTL = new URL("../../dist/src/cli/lockerctl.js", import.meta.url).pathname;

function lockerctl(args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LOCKERCTL, ...args], { timeout: timeoutMs, env: { ...process.env, LOCKERD_ADMIN_SOCKET: "/nonexistent/admin.sock" } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

for (const transport of ["pty", "tcp"] as const) {
  describe.skipIf(transport === "pty" && !socat)(`lockerctl hardware commands against the simulator over ${transport}`, () => {
    let sim: RunningSimulator | undefined;
    beforeAll(async () => {
      if (!existsSync(LOCKERCTL)) throw new Error(`${LOCKERCTL} missing: run npm run build first`);
      sim = await startSimulator({ transport, boards: [{ address: 1 }, { address: 5, channels: 24 }], pulseMs: 50 });
      // nobody walks up to the door during the test: it stays released until told
      sim.control.board(1).setBehaviour(3, { behaviour: "walkAway", relatchAfterMs: 600_000 });
    });
    afterAll(async () => {
      await sim?.stop();
    });

    it("probe finds the boards at their addresses", async () => {
      const r = await lockerctl(["--json", "probe", "--port", sim!.transport, "--to", "8"]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { boards: { address: number; statusBytes: number }[] };
      expect(out.boards.map((b) => b.address)).toEqual([1, 5]);
      expect(out.boards.every((b) => b.statusBytes === 3)).toBe(true);
    });

    it("open 3 makes door 3 read open and status shows it", async () => {
      const o = await lockerctl(["open", "3", "--reason", "commissioning test", "--port", sim!.transport]);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toMatch(/door 3 unlocked: 1 pulse/);
      expect(sim!.control.board(1).shut(3)).toBe(false);
      const s = await lockerctl(["--json", "status", "--port", sim!.transport]);
      expect(s.code, s.stderr).toBe(0);
      const rows = (JSON.parse(s.stdout) as { compartments: { compartment: number; door: string }[] }).compartments;
      expect(rows.find((x) => x.compartment === 3)!.door).toBe("open");
      expect(rows.filter((x) => x.door === "open").map((x) => x.compartment)).toEqual([3]);
      const table = await lockerctl(["status", "--port", sim!.transport]);
      expect(table.stdout).toMatch(/^\s+3\s+1\s+3\s+open\s+open$/m);
    });

    it("monitor shows the frames in hex with their direction", async () => {
      const r = await lockerctl(["monitor", "--port", sim!.transport, "--duration", "1200"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/-> 80 01 00 33 b2/);
      expect(r.stdout).toMatch(/<- 80 01 00 00 fb 33 49/);
      expect(r.stdout).toMatch(/door 3 open/);
    });

    it("monitor --json reports a door opened by hand as uncommanded", async () => {
      const before = sim!.control.received.length;
      const run = lockerctl(["--json", "monitor", "--port", sim!.transport, "--duration", "3000"]);
      // the monitor is polling once its frames reach the simulator (lockerctl starts slowly on a loaded machine)
      await waitFor(() => sim!.control.received.length > before + 1, "monitor polling", 15_000);
      sim!.control.board(1).openDoor(6);
      const r = await run;
      const lines = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const door6 = lines.filter((l) => l.type === "door" && l.compartment === 6);
      expect(door6.at(-1)).toMatchObject({ state: "open", commanded: false, previous: "closed" });
      expect(lines.some((l) => l.type === "frame" && l.dir === "tx")).toBe(true);
      sim!.control.board(1).closeDoor(6);
    });

    it("selftest passes with a pass/fail table; a jammed lock fails the cycle with exit 1", async () => {
      const pass = await lockerctl(["selftest", "--port", sim!.transport]);
      expect(pass.code, pass.stderr).toBe(0);
      expect(pass.stdout).toMatch(/PASS: 0 of 9 checks failed/);
      sim!.control.board(1).setBehaviour(2, { behaviour: "jammed" });
      const fail = await lockerctl(["--json", "selftest", "--cycle", "--port", sim!.transport, "--channels", "2"]);
      expect(fail.code).toBe(1);
      const rep = JSON.parse(fail.stdout) as { ok: boolean; checks: { check: string; channel?: number; ok: boolean }[] };
      expect(rep.ok).toBe(false);
      expect(rep.checks.filter((c) => !c.ok).map((c) => [c.check, c.channel])).toEqual([["unlock releases", 2]]);
      sim!.control.board(1).setBehaviour(2, { behaviour: "normal" });
    }, 60_000);

    it("exit codes: 3 when no board answers, 2 for bad usage", async () => {
      const none = await lockerctl(["status", "--port", sim!.transport, "--address", "9", "--timeout", "100"]);
      expect(none.code).toBe(3);
      expect(none.stderr).toMatch(/no reply to QUERY-ALL on board 9/);
      const usage = await lockerctl(["open", "3", "--port", sim!.transport]);
      expect(usage.code).toBe(2);
      const badFeedback = await lockerctl(["status", "--port", sim!.transport, "--address", "40"]);
      expect(badFeedback.code).toBe(2);
      expect(badFeedback.stderr).toMatch(/--address must be a whole number from 1 to 31/);
    });
  });
}

describe("lockerctl hardware commands without a reachable device", () => {
  it("names the device that could not be opened and exits 3", async () => {
    const r = await lockerctl(["status", "--port", "/dev/does-not-exist-lockerd"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open serial device \/dev\/does-not-exist-lockerd/);
  });
  it("has --help a technician understands", async () => {
    const r = await lockerctl(["open", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--reason <text>/);
    expect(r.stdout).toMatch(/--port <device\|tcp:\/\/host:port>/);
  });
});
