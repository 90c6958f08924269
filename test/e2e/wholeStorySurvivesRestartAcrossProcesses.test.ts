/**
 * Issue 6, must-show 1: lockerd run as its own process exactly as the README
 * says (built code, a config file), the board simulator as a separate
 * process on a real pseudo-terminal, a real Mosquitto. The whole story —
 * resident drop-off over HTTP → staff alert over MQTT → staff collect and
 * return → resident pickup at the kiosk API — with a SIGTERM and restart in
 * the middle of the staff collection (door open); nothing lost, every event
 * delivered.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosquittoAvailable, startMosquitto, type TestBroker } from "../mqtt/helpers/brokers.js";
import { subscribe, type Listener } from "../mqtt/helpers/subscriber.js";
import { lockerctl, type LockerdProcess, requireBuild, type SimulatorProcess, startLockerd, startSimulatorProcess } from "../support/processes.js";
import { json } from "../support/http.js";
import { waitFor } from "../support/waitFor.js";

const PHONE = "13912345678";
const PIN = "730519";
const LOCKER = "e2e-story";

describe.runIf(mosquittoAvailable())("the whole story across real processes", () => {
  let broker: TestBroker;
  let sim: SimulatorProcess;
  let daemon: LockerdProcess | undefined;
  let events: Listener & { client: unknown };
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    requireBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-e2e-"));
    broker = await startMosquitto();
    sim = await startSimulatorProcess();
    configFile = path.join(dir, "config.json");
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        lockerId: LOCKER,
        dataDir: "./data",
        bus: { transport: sim.transport },
        http: { host: "127.0.0.1", port: 0, kioskPort: 0 },
        mqtt: { url: broker.url },
        pins: { scryptCost: 1024 },
        log: { level: "info" },
      }),
    );
    events = await subscribe(broker.url, `lockers/${LOCKER}/events/#`, 5, `e2e-staff-${process.pid}`);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await events?.close();
    await sim?.stop();
    await broker?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("drop-off, alert, collect (SIGTERM mid-way), return, pickup: every event delivered once, in order", { timeout: 120_000 }, async () => {
    // Simulated people: open 300 ms after the unlock, leave the door open until the test closes it.
    for (let ch = 1; ch <= 6; ch++) await sim.control("/behaviour", { board: 1, channel: ch, openAfterMs: 300, closeAfterMs: 0 });
    daemon = await startLockerd(configFile);
    const base = daemon.url;
    const doorOf = async (n: number) =>
      ((await json(`${daemon!.kioskUrl}/kiosk/state`)) as { compartments: Array<{ number: number; door: string; status: string }> }).compartments.find((c) => c.number === n)!;
    const closeDoor = async (n: number) => {
      await waitFor(async () => (await doorOf(n)).door === "open", `door ${n} reads open`);
      await sim.control("/door", { board: 1, channel: n, action: "close" });
    };

    // 1. Resident drops off over HTTP, with the token the kiosk QR shows.
    const state = (await json(`${daemon!.kioskUrl}/kiosk/state`)) as { qr: { url: string } };
    const token = state.qr.url.split("/d/")[1]!;
    const drop = (await json(`${base}/api/dropoff`, { token, matter: "certificate", phone: PHONE, pin: PIN, pinConfirm: PIN, consent: true })) as {
      caseId: string;
      compartment: number;
    };
    await closeDoor(drop.compartment);

    // 2. Staff are alerted over MQTT (masked phone only).
    const alert = await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/dropoff")));
    const dropoffEvent = JSON.parse(alert.find((x) => x.topic.endsWith("/events/dropoff"))!.payload);
    expect(dropoffEvent).toMatchObject({ caseId: drop.caseId, compartment: drop.compartment, phone: "139****5678", matter: "certificate" });

    // 3. Staff sign in (code made with lockerctl over the admin socket) and collect.
    const socket = path.join(dir, "data", "admin.sock");
    const added = await lockerctl(["--socket", socket, "staff", "add", "王芳"]);
    expect(added.code, added.stderr).toBe(0);
    const code = (added.json as { code: string }).code;
    const signIn = await fetch(`${base}/api/staff/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    await json(`${base}/api/staff/cases/${drop.caseId}/collect`, {}, cookie);
    await waitFor(async () => (await doorOf(drop.compartment)).door === "open", "collect door open");

    // 4. SIGTERM while the door stands open; lockerd stops cleanly and comes back.
    expect(await daemon.stop("SIGTERM")).toBe(0);
    daemon = await startLockerd(configFile);
    const base2 = daemon.url;
    await sim.control("/door", { board: 1, channel: drop.compartment, action: "close" });
    await waitFor(async () => ((await lockerctl(["--socket", socket, "case", drop.caseId])).json as { state: string }).state === "with_staff", "case with staff after restart");

    // 5. Staff return the result: a free compartment opens, they close it → ready.
    const signIn2 = await fetch(`${base2}/api/staff/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
    const cookie2 = signIn2.headers.get("set-cookie")!.split(";")[0]!;
    const ret = (await json(`${base2}/api/staff/cases/${drop.caseId}/return`, {}, cookie2)) as { compartment: number };
    const doorOf2 = async (n: number) =>
      ((await json(`${daemon!.kioskUrl}/kiosk/state`)) as { compartments: Array<{ number: number; door: string }> }).compartments.find((c) => c.number === n)!;
    await waitFor(async () => (await doorOf2(ret.compartment)).door === "open", "return door open");
    await sim.control("/door", { board: 1, channel: ret.compartment, action: "close" });
    await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/ready")));

    // 6. The resident collects at the kiosk with phone + PIN.
    const pickup = (await json(`${daemon!.kioskUrl}/kiosk/pickup`, { phone: PHONE, pin: PIN })) as { opened: Array<{ compartment: number }> };
    expect(pickup.opened.map((d) => d.compartment)).toEqual([ret.compartment]);
    await waitFor(async () => (await doorOf2(ret.compartment)).door === "open", "pickup door open");
    await sim.control("/door", { board: 1, channel: ret.compartment, action: "close" });
    await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/collected")));

    // Nothing lost: the three events of this case, once each, in order, unique ids.
    const ofCase = events.messages.map((x) => ({ topic: x.topic, e: JSON.parse(x.payload) })).filter((x) => x.e.caseId === drop.caseId);
    const types = [...new Set(ofCase.map((x) => x.e.type))];
    expect(types).toEqual(["dropoff", "ready", "collected"]);
    // At-least-once: a redelivery carries the same id, so consumers de-duplicate to exactly three events.
    const distinct = new Map(ofCase.map((x) => [x.e.id as string, x.e.type as string]));
    expect([...distinct.values()]).toEqual(["dropoff", "ready", "collected"]);
    const final = (await lockerctl(["--socket", socket, "case", drop.caseId])).json as { state: string };
    expect(final.state).toBe("collected");
    const comps = (await lockerctl(["--socket", socket, "status"])).json as unknown;
    expect(JSON.stringify(comps)).not.toContain('"reserved"');
    // The audit trail saw the restart's settlement and every door opening.
    const audit = (await lockerctl(["--socket", socket, "events", "--limit", "500"])).json as Array<{ action: string; caseId?: string }>;
    expect(audit.filter((a) => a.caseId === drop.caseId && a.action === "door-opened").length).toBeGreaterThanOrEqual(3);
  });
});
