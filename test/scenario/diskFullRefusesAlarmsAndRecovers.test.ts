/**
 * Issue 9, item 6: the disk fills up under a running locker. The data folder
 * is a small real tmpfs; a filler file takes the rest of it while a resident
 * has a drop-off door open. The door closes while nothing can be written:
 * - the next drop-off is refused plainly (503, Store_Unwritable, "out of
 *   service" and the help phone), the kiosk goes out of service;
 * - /readyz is not ready; staff get a `storage-full` alarm on MQTT although
 *   the outbox cannot take it (published directly; also logged);
 * then the filler is deleted:
 * - /readyz ready again (the periodic probe notices), the kiosk back;
 * - the door cycle that could not be recorded is settled by the door rules
 *   (the door was seen closed after opening: dropped off, compartment held);
 * - nothing lost: the drop-off event and the alarm (same id) go out through
 *   the outbox, and the next drop-off works.
 */
import fs from "node:fs";
import path from "node:path";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { describeStartFailure } from "../../src/daemon/describeStartFailure.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import type { LockerEvent } from "../../src/locker/events.js";
import { startHarness, stopHarness, type LockerHarness } from "../support/harness.js";
import { mountTmpfs, type Tmpfs } from "../support/tmpfs.js";
import { requireMount } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

const HELP = "0571-8765 4321";
const mount = requireMount("the disk-full scenario");
let h: LockerHarness | undefined;
let client: mqtt.MqttClient | undefined;
let disk: Tmpfs | undefined;

afterAll(async () => {
  await client?.endAsync();
  if (h) await stopHarness(h).catch(() => {});
  disk?.unmount();
});

describe.skipIf(!mount)("a data folder whose disk fills up", () => {
  it("refuses drop-offs plainly, is not ready and alarms; recovers, settles the stuck door cycle and loses nothing", { timeout: 30_000 }, async () => {
    disk = mountTmpfs(mount!, "8m");
    const dataDir = path.join(disk.dir, "data");
    fs.mkdirSync(dataDir, { mode: 0o750 });
    h = await startHarness({ depth: "daemon", dataDir, config: { helpPhone: HELP } });
    const { daemon, baseUrl, kioskUrl } = h;

    const seen: { topic: string; event: LockerEvent }[] = [];
    client = await mqtt.connectAsync(h.mqttUrl);
    client.on("message", (topic, payload) => topic.includes("/events/") && seen.push({ topic, event: JSON.parse(payload.toString()) as LockerEvent }));
    await client.subscribeAsync("#", { qos: 1 });
    const alarms = (kind: string) => seen.filter((m) => m.event.type === "alarm" && m.event.kind === kind).map((m) => m.event);

    const kiosk = async () => (await (await fetch(`${kioskUrl}/kiosk/state`)).json()) as { storageOk: boolean; qr: { url: string } | null };
    const dropoff = async (phone: string) => {
      const token = (await kiosk()).qr!.url.split("/d/")[1]!;
      const res = await fetch(`${baseUrl}/api/dropoff`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, matter: "other", phone, pin: "730241", pinConfirm: "730241", consent: true }),
      });
      return { status: res.status, body: (await res.json()) as { code: number; message: string; caseId: string; compartment: number } };
    };
    const ready = async () => (await fetch(`${baseUrl}/readyz`)).status;
    expect(await ready()).toBe(200);

    // A resident opens a drop-off door (the simulated person opens it after 300 ms and holds it open).
    const first = await dropoff("13812345670");
    expect(first.status).toBe(200);
    const n = first.body.compartment;
    const channel = h.config.compartments.find((c) => c.number === n)!;
    await waitFor(() => daemon.locker.getCase(first.body.caseId).state === "dropoff_pending" && daemon.hardware.doorState(n) === "open", "door open");
    await waitFor(() => daemon.locker.ledger.cases.get(first.body.caseId)?.pendingPhase === "opened", "phase opened recorded");

    // The disk fills up; the resident closes the door: the close cannot be recorded.
    const filler = disk.fill();
    h.sim.board(channel.board).closeDoor(channel.channel);
    await waitFor(() => daemon.locker.ledger.storage.problem !== undefined, "storage failure noticed");
    expect(daemon.locker.getCase(first.body.caseId).state).toBe("dropoff_pending");

    // The next resident is refused plainly, with the help phone; the kiosk is out of service.
    const refused = await dropoff("13812345671");
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe(ErrorCode.Store_Unwritable);
    expect(refused.body.message).toMatch(/暂停服务.*out of service/);
    expect(refused.body.message).toContain(HELP);
    expect((await kiosk()).storageOk).toBe(false);
    // Not ready, with what to do.
    const notReady = await fetch(`${baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { database: { detail: string } }).database.detail).toMatch(/refuses writes \(SQLITE_FULL\)/);
    // Staff hear it on MQTT although the outbox is on the full disk; it is in the log too.
    await waitFor(() => alarms("storage-full").length === 1, "storage-full alarm on MQTT");
    const full = alarms("storage-full")[0]!;
    expect(full.detail).toMatchObject({ code: "SQLITE_FULL" });
    expect(h.logLines.some((l) => l.includes("storage-full") && l.includes("alarm:"))).toBe(true);
    expect(daemon.locker.compartments().find((c) => c.number === n)?.status).toBe("reserved");

    // Space returns: ready again by itself, the stuck cycle settled by the door rules.
    fs.rmSync(filler);
    await waitFor(async () => (await ready()) === 200, "ready again", 10_000);
    await waitFor(() => daemon.locker.getCase(first.body.caseId).state === "dropped_off", "door cycle settled");
    expect(daemon.locker.compartments().find((c) => c.number === n)?.status).toBe("holding");
    // By the rule for what the door did (closed after opening), applied when space returned.
    const trail = daemon.locker.audit({ caseId: first.body.caseId }).map((a) => a.action);
    expect(trail).toContain("door-closed");
    expect(trail.filter((a) => a.startsWith("reconcile-"))).toEqual([]);
    expect((await kiosk()).storageOk).toBe(true);

    // Nothing lost: the drop-off event, the alarm recorded with the same id, the all-clear.
    await waitFor(() => seen.some((m) => m.event.type === "dropoff" && m.event.caseId === first.body.caseId), "dropoff event published");
    await waitFor(() => alarms("storage-ok").length === 1, "storage-ok alarm");
    expect(daemon.locker.ledger.outbox.all().filter((e) => e.event.id === full.id)).toHaveLength(1);
    const next = await dropoff("13812345672");
    expect(next.status).toBe(200);
    expect(next.body.compartment).not.toBe(n);
  });

  // Goes on from the locker above (its data folder, two cases), stopped and started again.
  it('a daemon started on the full disk refuses with what to do (not "the database is damaged"), and starts once space is freed', { timeout: 20_000 }, async () => {
    const dataDir = path.join(disk!.dir, "data");
    await stopHarness(h!);
    h = undefined;
    const filler = disk!.fill();
    const err = await startHarness({ depth: "daemon", dataDir }).then(
      (started) => ((h = started), undefined),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: ErrorCode.Store_Unwritable });
    expect(describeStartFailure(err)).toMatch(/refuses it \(SQLITE_(FULL|IOERR\w*)[^)]*\): it is full or failing\. Free space/);
    expect(describeStartFailure(err)).not.toMatch(/damaged|restore/);
    fs.rmSync(filler);
    h = await startHarness({ depth: "daemon", dataDir });
    expect(h.daemon.locker.listCases({}).length).toBe(2); // both earlier cases still there
  });
});
