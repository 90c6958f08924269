/**
 * Issue 9, item 10 (sweep part): a wall clock that is wrong but plausible, then
 * corrected. The privacy purge (irreversible) never runs on a jump and waits
 * until the clock has been trusted for an hour of monotonic time; overdue
 * scheduling set by the wrong clock is re-based so alerts do not stop for a year.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PURGE_TRUST_MS } from "../../src/locker/Sweeper.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { buildCore, RESIDENT, STAFF, type CoreHarness } from "../locker/support/coreHarness.js";

const DAY = 86_400_000;
const PHONE = "13812345678";
const PIN = "482915";
let h: CoreHarness | undefined;
afterEach(() => h?.close());

async function readyCase(clock: ManualClock) {
  const hw = new FakeDoorHardware([1, 2, 3, 4, 5, 6]);
  h = buildCore({ hardware: hw, clock });
  const s = h.service;
  await s.start();
  const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: "other", phone: PHONE, pin: PIN, consent: true }, RESIDENT);
  hw.set(1, "open"), hw.set(1, "closed");
  await s.staffCollect(d.caseId, STAFF);
  hw.set(1, "open"), hw.set(1, "closed");
  await s.staffReturn(d.caseId, STAFF);
  hw.set(1, "open"), hw.set(1, "closed");
  return { hw, s, id: d.caseId };
}

describe("clock corrections", () => {
  it("a forward jump does not purge at once; the purge waits for an hour of trusted, jump-free time", async () => {
    const clock = new ManualClock(Date.now());
    const { hw, s, id } = await readyCase(clock);
    await s.pickup(PHONE, PIN, RESIDENT);
    hw.set(1, "open"), hw.set(1, "closed");
    s.sweep();
    clock.setWall(clock.wallMs() + 40 * DAY); // the wall clock leaps 40 days (past the 30-day purge)
    s.sweep();
    expect(s.getCase(id, { unmasked: true }).phone).toBe(PHONE);
    clock.advance(PURGE_TRUST_MS / 2);
    s.sweep();
    expect(s.getCase(id, { unmasked: true }).phone).toBe(PHONE);
    clock.advance(PURGE_TRUST_MS);
    s.sweep();
    expect(s.getCase(id, { unmasked: true }).phone).toBe("***");
  });

  it("ready under a clock a year ahead, then corrected: overdue comes after the hold period, not a year later", async () => {
    const clock = new ManualClock(Date.now() + 365 * DAY); // wrong but plausible
    const { s, id } = await readyCase(clock);
    s.sweep();
    clock.setWall(clock.wallMs() - 365 * DAY); // NTP corrects it
    s.sweep();
    clock.advance(7 * DAY + 1);
    s.sweep();
    expect(h!.published.filter((e) => e.type === "overdue" && e.caseId === id)).toHaveLength(1);
  });

  it("an overdue repeat stamped by a clock that was ahead fires again after the correction", async () => {
    const clock = new ManualClock(Date.now());
    const { s, id } = await readyCase(clock);
    clock.advance(7 * DAY + 1);
    clock.setWall(clock.wallMs() + 365 * DAY); // jump ahead a year: overdue stamped in the wrong year
    s.sweep();
    const before = h!.published.filter((e) => e.type === "overdue" && e.caseId === id).length;
    clock.setWall(clock.wallMs() - 365 * DAY); // corrected
    s.sweep();
    clock.advance(DAY);
    s.sweep();
    expect(h!.published.filter((e) => e.type === "overdue" && e.caseId === id).length).toBeGreaterThan(before);
  });
});
