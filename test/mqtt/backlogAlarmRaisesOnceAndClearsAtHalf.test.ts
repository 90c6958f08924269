/**
 * BacklogAlarm (pure): raised once when the outbox passes the limit (logged,
 * audited), told to staff once per connection while raised, not flapping
 * around the limit, cleared only when the backlog is down to half.
 */
import { describe, expect, it } from "vitest";
import type { LockerEvent } from "../../src/locker/events.js";
import { BacklogAlarm } from "../../src/mqtt/BacklogAlarm.js";
import { ManualClock } from "../../src/util/clock.js";
import { recordingLocker, testLog } from "./helpers/fakes.js";

function rig(limit = 10) {
  const sent: LockerEvent[] = [];
  const locker = recordingLocker([1]);
  const alarm = new BacklogAlarm({ limit, lockerId: "l1", locker, clock: new ManualClock(), log: testLog(), publish: async (e) => void sent.push(e) });
  return { alarm, sent, audits: locker.audits };
}

describe("outbox backlog alarm", () => {
  it("is raised once above the limit, audited, and told to staff once per connection", () => {
    const { alarm, sent, audits } = rig();
    alarm.check(10, false);
    expect(alarm.raised).toBe(false);
    alarm.check(11, false);
    alarm.check(12, false);
    expect(alarm.raised).toBe(true);
    expect(audits.filter((a) => a.action === "alarm.outbox-backlog")).toHaveLength(1);
    expect(sent).toHaveLength(0); // not connected: nothing can be told yet
    alarm.check(12, true);
    alarm.check(13, true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: "alarm", kind: "outbox-backlog", lockerId: "l1", detail: { depth: 12, limit: 10 } });
    alarm.reconnected();
    alarm.check(14, true);
    expect(sent).toHaveLength(2);
  });

  it("does not flap around the limit and clears at half of it", () => {
    const { alarm, audits } = rig();
    alarm.check(11, false);
    alarm.check(9, false);
    alarm.check(11, false);
    expect(alarm.raised).toBe(true);
    expect(audits).toHaveLength(1);
    alarm.check(6, false);
    expect(alarm.raised).toBe(true);
    alarm.check(5, false);
    expect(alarm.raised).toBe(false);
    alarm.check(11, false);
    expect(audits).toHaveLength(2);
  });

  it("ignores an unknown depth (-1)", () => {
    const { alarm } = rig();
    alarm.check(11, false);
    alarm.check(-1, false);
    expect(alarm.raised).toBe(true);
  });
});
