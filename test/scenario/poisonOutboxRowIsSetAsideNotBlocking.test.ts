/**
 * Issue 9, item 7: one broken outbox row used to block every later event for
 * ever while /readyz said ready. Now a row that can never be published is set
 * aside as a dead letter (kept, with why), an `outbox-dead-letter` alarm goes
 * out, `lockerctl mqtt-check` shows it, and the events behind it are delivered
 * in order. Against the real daemon and its embedded broker.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockerTest } from "../helpers/lockerTest.js";
import { subscribe } from "../mqtt/helpers/subscriber.js";
import { DomainEvents, type LockerEvent } from "../../src/locker/events.js";
import { MAX_ATTEMPTS, OutboxRelay } from "../../src/mqtt/OutboxRelay.js";
import { Outbox } from "../../src/store/Outbox.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import { createLogger } from "../../src/util/logger.js";
import { LOCKERCTL } from "../e2e/support/processes.js";

function event(type: string, extra: Partial<LockerEvent> = {}): LockerEvent {
  return {
    id: randomUUID(),
    type: type as LockerEvent["type"],
    time: new Date().toISOString(),
    clockTrusted: true,
    lockerId: "test-locker",
    kind: "tamper",
    compartment: 2,
    ...extra,
  } as LockerEvent;
}

describe("poison outbox rows", () => {
  lockerTest("unreadable, untopicable and oversized rows are set aside; the events behind them arrive in order", {
    testBody: async (h) => {
      const sub = await subscribe(h.mqttUrl, "lockers/test-locker/events/#", 4);
      await h.daemon.mqtt.whenConnected(10_000);
      const db = h.daemon.db;
      const insert = db.prepare("INSERT INTO outbox (id, type, event, created_at) VALUES (?, ?, ?, ?)");
      const now = new Date().toISOString();
      // written by hand, as a bug or a bad restore would: each once blocked everything behind it
      insert.run(randomUUID(), "alarm", "{not json", now);
      const bad = event("bad/#type");
      insert.run(bad.id, "alarm", JSON.stringify(bad), now);
      const huge = event("alarm", { message: "x".repeat(100_000) });
      insert.run(huge.id, "alarm", JSON.stringify(huge), now);
      const good = [event("alarm", { message: "after the poison 1" }), event("alarm", { message: "after the poison 2" })];
      const outbox = new Outbox(db);
      for (const g of good) {
        outbox.append(g);
        h.daemon.events.emit("outboxAppended", g);
      }

      const got = await sub.waitFor(
        (m) => m.filter((x) => x.payload.includes("after the poison")).length === 2 && m.filter((x) => x.payload.includes('"outbox-dead-letter"')).length === 3,
        15_000,
      );
      const payloads = got.map((m) => JSON.parse(m.payload) as LockerEvent);
      expect(payloads.filter((e) => e.message?.startsWith("after the poison")).map((e) => e.message)).toEqual(["after the poison 1", "after the poison 2"]);
      const deadAlarms = payloads.filter((e) => e.kind === "outbox-dead-letter");
      expect(deadAlarms.map((e) => e.message).join("\n")).toMatch(/unreadable event text[\s\S]*cannot be a topic level[\s\S]*bytes; the limit is/);
      expect(h.daemon.mqtt.status()).toMatchObject({ outboxDepth: 0, deadLetters: 3 });
      // kept, not deleted
      expect((db.prepare("SELECT count(*) AS n FROM outbox WHERE dead_at IS NOT NULL").get() as { n: number }).n).toBe(3);
      const audited = db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'alarm-outbox-dead-letter'").get() as { n: number };
      expect(audited.n).toBe(3);

      // visible to the technician
      const cfg = path.join(h.dir, "ctl-config.json");
      fs.writeFileSync(
        cfg,
        JSON.stringify({ lockerId: "test-locker", dataDir: h.dir, mqtt: { url: h.mqttUrl, protocolVersion: 4 }, http: { adminSocket: h.config.http.adminSocket } }),
      );
      const out = await new Promise<string>((resolve) =>
        execFile(process.execPath, [LOCKERCTL, "--config", cfg, "--socket", h.config.http.adminSocket, "mqtt-check", "--count", "1"], { timeout: 30_000 }, (_e, stdout, stderr) =>
          resolve(stdout + stderr),
        ),
      );
      expect(out, out).toMatch(/WARNING: 3 event\(s\) set aside as dead letters/);
      expect(out).toMatch(/cannot be a topic level/);
      await sub.close();
    },
  });

  it(`an entry the broker refuses ${MAX_ATTEMPTS} times in a row is set aside; one that fails now and then is not`, async () => {
    const dir = fs.mkdtempSync(path.join((await import("node:os")).tmpdir(), "lockerd-dead-"));
    const log = createLogger({ level: "silent", pretty: false });
    const db = openDatabase(path.join(dir, "lockerd.sqlite"), log);
    try {
      const outbox = new Outbox(db);
      const dead: number[] = [];
      outbox.onDeadLetter = (d) => dead.push(d.seq);
      for (let i = 0; i < 3; i++) outbox.append(event("alarm"));
      let flaky = 0;
      const sent: number[] = [];
      const relay = new OutboxRelay({
        outbox,
        connected: () => true,
        log: log as never,
        publish: async (e) => {
          if (e.seq === 1) throw new Error("refused by the broker");
          if (e.seq === 2 && flaky++ < MAX_ATTEMPTS - 2) throw new Error("link dropped");
          sent.push(e.seq);
        },
      });
      for (let i = 0; i < MAX_ATTEMPTS + 2 && outbox.depth() > 0; i++) {
        relay.wake();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(dead).toEqual([1]);
      expect(sent.slice(-2)).toEqual([2, 3]); // 3 went out (unmarked) behind each failure of 2: at least once
      expect(outbox.deadLetters().map((d) => d.seq)).toEqual([1]);
      expect(outbox.depth()).toBe(0);
      expect(outbox.deadLetters()[0]!.reason).toMatch(new RegExp(`not acknowledged after ${MAX_ATTEMPTS} attempts \\(last: refused by the broker\\)`));
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
