/**
 * Issue 15, must-show 1, over real pseudo-terminals (socat) and the built
 * lockerctl: probe without --protocol names a Kerong and an 8A/80 simulator
 * on separate ports; `status --protocol kerong` shows doors and occupancy;
 * `open 3 --protocol kerong --address 0` puts 02 02 31 03 38 on the wire once;
 * a silent board gives exit 3 with at most one unlock frame.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { haveSocat } from "../board/helpers.js";

const LOCKERCTL = new URL("../../dist/src/cli/lockerctl.js", import.meta.url).pathname;

function lockerctl(args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LOCKERCTL, ...args], { timeout: timeoutMs, env: { ...process.env, LOCKERD_ADMIN_SOCKET: "/nonexistent/admin.sock" } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const unlockFrames = (sim: RunningSimulator) => sim.control.received.filter((f) => f.request.kind === "unlock").map((f) => f.hex);

describe.skipIf(!haveSocat())("lockerctl with a Kerong and an 8A/80 bus on real ptys", () => {
  let kerong: RunningSimulator;
  let a80: RunningSimulator;
  beforeAll(async () => {
    if (!existsSync(LOCKERCTL)) throw new Error(`${LOCKERCTL} missing: run npm run build first`);
    kerong = await startSimulator({ transport: "pty", protocol: "kerong", boards: [{ address: 0, channels: 8 }] });
    a80 = await startSimulator({ transport: "pty", boards: [{ address: 1 }], pulseMs: 50 });
    // nobody comes to door 3: it stays released until told, so status after open reads it open
    kerong.control.board(0).setBehaviour(3, { behaviour: "walkAway", relatchAfterMs: 600_000 });
  });
  afterAll(async () => {
    await kerong?.stop();
    await a80?.stop();
  });

  it("probe without --protocol names each bus's protocol, baud and address, with the config snippet", async () => {
    const k = await lockerctl(["--json", "probe", "--port", kerong.transport, "--to", "4", "--timeout", "500"]);
    expect(k.code, k.stderr).toBe(0);
    const kj = JSON.parse(k.stdout) as {
      boards: { protocol: string; baud: number; address: number; statusBytes: number }[];
      tried: { protocol: string }[];
      config: { bus: Record<string, unknown> };
    };
    expect(kj.boards).toEqual([expect.objectContaining({ protocol: "kerong", baud: 19200, address: 0, statusBytes: 4 })]);
    expect(kj.tried.map((t) => t.protocol)).toEqual(["8a80", "kerong"]);
    expect(kj.config.bus).toMatchObject({ protocol: "kerong", transport: kerong.transport, baudRate: 19200, boards: [{ address: 0 }] });

    const a = await lockerctl(["probe", "--port", a80.transport, "--to", "4", "--timeout", "500"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/PROTOCOL\s+BAUD\s+ADDRESS/);
    expect(a.stdout).toMatch(/8a80\s+9600\s+1\s+3\s+80 01 00 00 ff 33 4d/);
    expect(a.stdout).not.toMatch(/kerong/);
    expect(a.stdout).toContain('"protocol": "8a80"');
    // discovery never pulses a lock
    expect(unlockFrames(kerong)).toEqual([]);
    expect(unlockFrames(a80)).toEqual([]);
  });

  it("status --protocol kerong shows every door and whether something is inside", async () => {
    kerong.control.board(0).setItem(2, true);
    const r = await lockerctl(["--json", "status", "--port", kerong.transport, "--protocol", "kerong"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { compartments: { compartment: number; door: string; item: string }[]; boards: { board: number; replyHex: string }[] };
    expect(j.compartments).toHaveLength(8);
    expect(j.compartments.every((c) => c.door === "closed")).toBe(true);
    expect(j.compartments.map((c) => c.item)).toEqual(["empty", "inside", "empty", "empty", "empty", "empty", "empty", "empty"]);
    expect(j.boards).toEqual([{ board: 0, replyHex: "020035ff000200033b" }]);
    const t = await lockerctl(["status", "--port", kerong.transport, "--protocol", "kerong"]);
    expect(t.stdout).toMatch(/STATE\s+INPUT\s+ITEM/);
    expect(t.stdout).toMatch(/2\s+0\s+2\s+closed\s+closed\s+inside/);
    kerong.control.board(0).setItem(2, false);
  });

  it("open 3 --protocol kerong --address 0 puts 02 02 31 03 38 on the wire once and reports the door open", async () => {
    kerong.control.reset();
    kerong.control.board(0).setBehaviour(3, { behaviour: "walkAway", relatchAfterMs: 600_000 });
    const o = await lockerctl(["open", "3", "--protocol", "kerong", "--address", "0", "--port", kerong.transport, "--reason", "commissioning test"]);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toMatch(/door 3 unlocked: 1 pulse\(s\), released \(seen by query\)/);
    expect(unlockFrames(kerong)).toEqual(["0202310338"]);
    expect(kerong.control.board(0).shut(3)).toBe(false);
    const s = await lockerctl(["--json", "status", "--port", kerong.transport, "--protocol", "kerong"]);
    const j = JSON.parse(s.stdout) as { compartments: { compartment: number; door: string }[] };
    expect(j.compartments.find((c) => c.compartment === 3)!.door).toBe("open");
  });

  it("a silent board: exit 3 and at most one unlock frame", async () => {
    kerong.control.reset();
    kerong.control.inject({ kind: "ignore", count: 1000 });
    const o = await lockerctl(["open", "3", "--protocol", "kerong", "--address", "0", "--port", kerong.transport, "--reason", "board is silent", "--timeout", "100"]);
    expect(o.code, o.stdout).toBe(3);
    expect(o.stderr).toMatch(/no reply to QUERY-ALL on board 0/);
    expect(unlockFrames(kerong).length).toBeLessThanOrEqual(1);
    expect(kerong.control.board(0).shut(3)).toBe(true);
    kerong.control.reset();
  });
});
