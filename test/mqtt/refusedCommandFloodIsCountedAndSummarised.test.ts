/**
 * A flood of bad-signature commands (the review sent 5,000 in 6 s) does not
 * write 5,000 audit rows and 5,000 warnings: the first `perMinute` are
 * audited and logged one by one, the rest are counted by reason into one
 * summary row and one warning per minute. Nothing is dropped silently: the
 * individual rows plus the summary counts add up to every command, and each
 * still gets its answer.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { CommandHandler } from "../../src/mqtt/CommandHandler.js";
import { CommandLedger } from "../../src/mqtt/CommandLedger.js";
import { RefusalDigest } from "../../src/mqtt/RefusalDigest.js";
import { ManualClock } from "../../src/util/clock.js";
import { recordingLocker, tempStore } from "./helpers/fakes.js";

describe("refused commands past the per-minute budget", () => {
  it("are counted into one summary row and one warning a minute, and add up to every command", async () => {
    const store = tempStore();
    const clock = new ManualClock();
    const lines: Array<{ level: number; msg: string; count?: number }> = [];
    const log = pino({ level: "info" }, new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(c.toString())), cb()) }));
    const locker = recordingLocker([1, 2, 3]);
    const digest = new RefusalDigest(5, clock, log, (s) =>
      locker.recordAudit({ kind: "remote", id: "many", via: "mqtt" }, "mqtt.refused-summary", "refused", { detail: { ...s } }),
    );
    const handler = new CommandHandler({
      lockerId: "l1",
      secret: "s".repeat(64),
      windowSeconds: 120,
      maxOpensPerHour: 1,
      compartments: [1, 2, 3],
      ledger: new CommandLedger(store.db),
      locker,
      clock,
      log,
      digest,
    });
    try {
      const flood = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const r = await handler.handle(
            "open",
            Buffer.from(JSON.stringify({ id: `flood-${String(i).padStart(6, "0")}`, ts: Math.floor(clock.wallMs() / 1000), compartment: 1, reason: "x", sig: "0".repeat(64) })),
          );
          expect(r).toMatchObject({ status: "refused", reason: "bad-signature" });
        }
      };
      await flood(1000);
      const individual = () => locker.audits.filter((a) => a.action === "mqtt.open").length;
      const summaries = () => locker.audits.filter((a) => a.action === "mqtt.refused-summary");
      expect(individual()).toBe(5);
      expect(summaries()).toHaveLength(0); // still inside the minute
      expect(lines.filter((l) => l.msg === "remote command refused")).toHaveLength(5);

      clock.advance(60_000);
      await flood(3); // a new minute: the summary of the last one is written, then 3 detailed rows
      expect(summaries()).toHaveLength(1);
      expect(summaries()[0]!.detail).toMatchObject({ count: 995, reasons: { "bad-signature": 995 } });
      expect(lines.filter((l) => l.level === 40 && l.count === 995)).toHaveLength(1);
      digest.stop();
      const total = individual() + summaries().reduce((n, s) => n + (s.detail as { count: number }).count, 0);
      expect(total).toBe(1003);
    } finally {
      store.close();
    }
  });
});
