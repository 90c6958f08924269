/**
 * A Pi boots on the time fake-hwclock saved at shutdown: plausible but wrong.
 * Where systemd-timesyncd runs, the wall clock is trusted only once it has
 * written its `synchronized` marker; where it does not run, the plausibility
 * floor alone decides.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { createSystemClock, timesyncSaysSynced } from "../../src/util/clock.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-timesync-"));
afterEach(() => vi.useRealTimers());

it("is not trusted while timesyncd runs but has not synced, and trusted once it has", () => {
  const timesync = path.join(dir, "timesync");
  fs.mkdirSync(timesync);
  expect(timesyncSaysSynced(timesync)).toBe(false);
  expect(createSystemClock(timesync).wallClockTrusted()).toBe(false);
  fs.writeFileSync(path.join(timesync, "synchronized"), "");
  expect(createSystemClock(timesync).wallClockTrusted()).toBe(true);
});

it("falls back to the plausibility floor where timesyncd does not run", () => {
  expect(createSystemClock(path.join(dir, "absent")).wallClockTrusted()).toBe(true);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.UTC(1970, 0, 2)); // a Pi without RTC or saved time
  expect(createSystemClock(path.join(dir, "absent")).wallClockTrusted()).toBe(false);
});
