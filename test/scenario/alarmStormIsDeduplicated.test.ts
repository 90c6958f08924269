/**
 * Issue 9, item 8: under a fault flood every refused drop-off used to write its
 * own `no-free-compartment` alarm (1,253 in four minutes). Now one alarm per
 * kind and compartment per repeat interval goes out (outbox and audit); the
 * next one after the interval says how many were held back. Different
 * compartments are told apart; door-left-open keeps its own repetition.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALARM_REPEAT_MS, AlarmGate } from "../../src/locker/AlarmGate.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { buildCore, RESIDENT, STAFF, type CoreHarness } from "../locker/support/coreHarness.js";

let h: CoreHarness | undefined;
afterEach(() => h?.close());

const alarms = (kind: string) => h!.published.filter((e) => e.type === "alarm" && e.kind === kind);
const auditRows = (kind: string) => (h!.db.prepare("SELECT count(*) AS n FROM audit WHERE action = ?").get(`alarm-${kind}`) as { n: number }).n;

describe("alarm storms", () => {
  it("200 refused drop-offs raise one no-free-compartment alarm per interval, then one with the count", async () => {
    const clock = new ManualClock();
    h = buildCore({ hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock });
    await h.service.start();
    for (let n = 1; n <= 6; n++) h.service.disable(n, "storm test", STAFF);
    const refuse = async () => {
      const token = h!.service.currentDropoffLink().token;
      await expect(
        h!.service.startDropoff({ token, matter: "other", phone: "13612345678", pin: "846201", consent: true }, { ...RESIDENT, client: `c${Math.random()}` }),
      ).rejects.toMatchObject({
        code: ErrorCode.Locker_NoFreeCompartment,
      });
    };
    for (let i = 0; i < 200; i++) {
      await refuse();
      clock.advance(1_000); // 200 s of refusals, all inside one interval
    }
    expect(alarms("no-free-compartment")).toHaveLength(1);
    expect(auditRows("no-free-compartment")).toBe(1);

    clock.advance(ALARM_REPEAT_MS);
    await refuse();
    const all = alarms("no-free-compartment");
    expect(all).toHaveLength(2);
    expect(all[1]!.detail).toMatchObject({ suppressed: 199 });
    expect(all[1]!.message).toMatch(/199 more like it/);
  });

  it("the gate keys on kind and compartment, runs on monotonic time, and lets door-left-open and board-online through", () => {
    const clock = new ManualClock();
    const g = new AlarmGate(() => clock.monotonicMs());
    expect(g.admit("tamper", 1).send).toBe(true);
    expect(g.admit("tamper", 1).send).toBe(false);
    expect(g.admit("tamper", 2).send).toBe(true);
    expect(g.admit("lock-fault", 1).send).toBe(true);
    clock.setWall(clock.wallMs() + 365 * 86_400_000); // a wall-clock jump changes nothing
    expect(g.admit("tamper", 1).send).toBe(false);
    clock.advance(ALARM_REPEAT_MS);
    expect(g.admit("tamper", 1)).toEqual({ send: true, suppressed: 2 });
    for (let i = 0; i < 3; i++) expect(g.admit("door-left-open", 3).send).toBe(true);
    for (let i = 0; i < 3; i++) expect(g.admit("board-online", undefined).send).toBe(true);
  });
});
