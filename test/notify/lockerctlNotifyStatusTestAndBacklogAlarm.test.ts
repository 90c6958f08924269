/**
 * Issue 13, item 6 and the backlog alarm, on the real daemon (harness) and
 * the built lockerctl over the admin socket: `notify status` shows each
 * channel's cursor, backlog and last error (table in the locker's zone,
 * `--json`, exit 1 while failing, 0 when caught up); `notify test <channel>`
 * sends a test message and prints the service's answer (0 sent, 1 refused,
 * 2 unknown channel). A channel whose backlog passes `notify.backlogAlarm`
 * raises one alarm, audited and carried by MQTT and the other channels.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { dropOff, staffCollect } from "../mqtt/helpers/daemonDriving.js";
import { startFakeService, type FakeService } from "./support/fakeService.js";

const CLI = path.resolve("dist/src/cli/lockerctl.js");
let h: LockerHarness;
let robot: FakeService;
let office: FakeService;
let secrets: string;

function ctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, "--socket", h.config.http.adminSocket, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error("run `npm run build` first: this test drives the built lockerctl");
  robot = await startFakeService();
  office = await startFakeService({ status: 204 });
  await office.down();
  secrets = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-notify-secrets-"));
  fs.writeFileSync(path.join(secrets, "wecom-url"), `${robot.url}?key=the-robot-key\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(secrets, "office-secret"), "office-secret\n", { mode: 0o600 });
  h = await startLocker({
    config: {
      notify: {
        retryMinMs: 200,
        retryMaxMs: 1000,
        backlogAlarm: 2,
        channels: [
          { id: "staff-wecom", kind: "wecom-robot", events: ["dropoff", "alarm"], urlFile: path.join(secrets, "wecom-url") },
          { id: "office", kind: "webhook", events: ["dropoff"], url: office.url, secretFile: path.join(secrets, "office-secret") },
        ],
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await robot?.close();
  await office?.close();
  fs.rmSync(secrets, { recursive: true, force: true });
});

describe("lockerctl notify and the backlog alarm", () => {
  it("office down: status exits 1 with backlog and error; one backlog alarm reaches the robot and MQTT; back up: exit 0", { timeout: 120_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const d = await dropOff(h, `1381234${String(5600 + i)}`);
      await staffCollect(h, d.caseId);
    }
    // The robot got the drop-offs and, once the office passed 2 waiting, the alarm about it.
    await robot.waitFor((r) => r.some((x) => String(x.json?.markdown?.content).includes("【告警·通知积压】")), "backlog alarm on the robot", 30_000);
    const alarms = h.daemon.locker.audit({ limit: 500 }).filter((a) => a.action === "alarm.notify-backlog");
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.detail).toMatchObject({ channel: "office" });
    // …and went out on MQTT like any other event (sent_at is set only on the broker's PUBACK).
    await waitFor(
      () => {
        const rows = h.daemon.db.prepare("SELECT event, sent_at FROM outbox WHERE type = 'alarm'").all() as Array<{ event: string; sent_at: string | null }>;
        const mine = rows.filter((r) => JSON.parse(r.event).detail?.channel === "office");
        return mine.length === 1 && mine[0]!.sent_at !== null;
      },
      "backlog alarm published on MQTT",
      20_000,
    );

    const json = await ctl("--json", "notify", "status");
    expect(json.code).toBe(1);
    const rows = JSON.parse(json.stdout) as Array<{ id: string; backlog: number; lastError: string | null; failures: number; backlogAlarm: boolean; cursor: number }>;
    expect(rows.map((r) => r.id)).toEqual(["staff-wecom", "office"]);
    expect(rows[0]).toMatchObject({ backlog: 0, lastError: null, failures: 0, backlogAlarm: false });
    expect(rows[1]).toMatchObject({ backlog: 3, backlogAlarm: true });
    expect(rows[1]!.lastError).toMatch(/cannot reach the service/);
    expect(json.stdout).not.toContain("the-robot-key");
    expect(json.stdout).not.toContain("office-secret");

    const table = await ctl("notify", "status");
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/CHANNEL\s+KIND\s+CURSOR\s+BACKLOG/);
    expect(table.stdout).toMatch(/office\s+webhook\s+\d+\s+3 \(alarm\)/);
    expect(table.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+8/);

    const refused = await ctl("notify", "test", "office");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/NOT sent on office: cannot reach the service/);
    const unknown = await ctl("notify", "test", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no notify channel "nope" \(channels: staff-wecom, office\)/);

    const before = robot.received.length;
    const sent = await ctl("notify", "test", "staff-wecom");
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^sent on staff-wecom: errcode 0 \(HTTP 200, \d+ ms\)/);
    expect(robot.received.length).toBe(before + 1);
    expect(robot.received.at(-1)!.json.markdown.content).toContain("【测试】通知通道 staff-wecom 工作正常");
    expect(robot.received.at(-1)!.url).toBe("/hook?key=the-robot-key");
    // Secrets never reach the log.
    expect(h.logLines.join("\n")).not.toContain("the-robot-key");
    expect(h.logLines.join("\n")).not.toContain("office-secret");

    await office.up();
    await waitFor(async () => (await ctl("notify", "status")).code === 0, "status ok once the office is back", 30_000);
    expect(new Set(office.received.map((r) => r.json.type))).toEqual(new Set(["dropoff"]));
    expect(new Set(office.received.map((r) => r.json.id)).size).toBe(3);
  });
});
