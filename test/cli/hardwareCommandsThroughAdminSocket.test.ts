import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import pino from "pino";
import { LockerHardware } from "../../src/board/LockerHardware.js";
import { hardwareAdminRoutes } from "../../src/http/admin/hardwareAdminRoutes.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { waitFor } from "../support/waitFor.js";
import { testBus } from "../support/harness.js";

const LOCKERCTL = new URL("../../dist/src/cli/lockerctl.js", import.meta.url).pathname;

function lockerctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LOCKERCTL, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("lockerctl monitor and selftest through the daemon's admin socket", () => {
  let sim: RunningSimulator;
  let hw: LockerHardware;
  let app: FastifyInstance;
  let dir: string;
  let socket: string;

  beforeAll(async () => {
    if (!existsSync(LOCKERCTL)) throw new Error(`${LOCKERCTL} missing: run npm run build first`);
    sim = await startSimulator({ transport: "tcp", boards: [{ address: 1 }], pulseMs: 50 });
    hw = new LockerHardware({ bus: testBus(sim.transport), compartments: defaultConfig().compartments, log: pino({ level: "silent" }) });
    await hw.start();
    await hw.firstPoll(10_000);
    dir = mkdtempSync(join(tmpdir(), "lockerd-admin-"));
    socket = join(dir, "admin.sock");
    app = Fastify();
    await app.register(hardwareAdminRoutes({ hardware: hw }));
    await app.listen({ path: socket });
  });
  afterAll(async () => {
    await app?.close();
    await hw?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("monitor streams frames and door events from the daemon", async () => {
    const run = lockerctl(["--socket", socket, "--json", "monitor", "--duration", "3000"]);
    // wait until the stream is attached (lockerctl starts slowly on a loaded machine)
    await waitFor(() => hw.listenerCount("frame") > 0, "monitor stream attached", 15_000);
    await new Promise((r) => setTimeout(r, 300));
    sim.control.board(1).openDoor(2);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: "online" });
    expect(lines.some((l) => l.type === "frame" && l.dir === "tx" && l.hex === "80010033b2")).toBe(true);
    expect(lines.find((l) => l.type === "door" && l.compartment === 2)).toMatchObject({ state: "open", commanded: false });
  });

  it("selftest --cycle runs in the daemon and prints the pass/fail table", async () => {
    const r = await lockerctl(["--socket", socket, "selftest", "--cycle"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/unlock releases\s+1\s+6\s+6\s+PASS/);
    expect(r.stdout).toMatch(/PASS: 0 of 13 checks failed/);
  });

  it("rejects a selftest body with unknown fields with a 400", async () => {
    const res = await app.inject({ method: "POST", url: "/admin/selftest", payload: { cycle: "yes" } });
    expect(res.statusCode).toBe(400);
  });

  it("says the daemon is unreachable (exit 4) when the socket is not there", async () => {
    const r = await lockerctl(["--socket", join(dir, "nope.sock"), "selftest"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Is the daemon running/);
  });
});
