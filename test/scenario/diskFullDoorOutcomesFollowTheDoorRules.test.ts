/**
 * Issue 9, item 6 (the door rules part), on the core over a real SQLite file
 * on a small tmpfs that fills up: a door cycle whose outcome the disk refused
 * is not left `dropoff_pending`/`reserved`; when space returns the rule for
 * what the door actually did is applied — and the unknown-outcome rule holds:
 * a compartment whose door may hold a pouch is never freed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { ManualClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { buildCore, RESIDENT, type CoreHarness } from "../support/harness.js";
import { mountTmpfs, type Tmpfs } from "../support/tmpfs.js";
import { requireMount } from "../support/tools.js";
import { waitFor } from "../support/waitFor.js";

const mount = requireMount("the disk-full door-rule scenarios");
let disk: Tmpfs | undefined;
let h: CoreHarness | undefined;
let filler: string | undefined;
beforeAll(() => {
  if (mount) disk = mountTmpfs(mount, "8m");
});
afterEach(() => {
  if (filler) fs.rmSync(filler, { force: true });
  filler = undefined;
  h?.close();
  h = undefined;
});
afterAll(() => disk?.unmount());

let runs = 0;
async function core(): Promise<{ h: CoreHarness; hw: FakeDoorHardware }> {
  const dir = path.join(disk!.dir, `core-${++runs}`);
  fs.mkdirSync(dir);
  const hw = new FakeDoorHardware([1, 2, 3]);
  h = buildCore({ hardware: hw, clock: new ManualClock(Date.now()), dir, config: (c) => (c.rules.doorOpenTimeoutMs = 300) });
  await h.service.start();
  return { h, hw };
}
const dropoff = (c: CoreHarness) =>
  c.service.startDropoff({ token: c.service.currentDropoffLink().token, matter: "other", phone: "13812345678", pin: "482915", consent: true }, RESIDENT);
const compartment = (c: CoreHarness, n: number) => c.service.compartments().find((x) => x.number === n)!;
/** Space returns: free the disk and let the probe notice (it would within 3 s by itself). */
function freeSpace(c: CoreHarness): void {
  fs.rmSync(filler!);
  filler = undefined;
  expect(c.service.ledger.storage.probe()).toBe(true);
}

describe.skipIf(!mount)("a door cycle whose outcome the disk refused", () => {
  it("never opened (board online, door still shut): cancelled and freed once space returns", async () => {
    const { h } = await core();
    const d = await dropoff(h);
    filler = disk!.fill();
    await waitFor(() => h.service.ledger.storage.problem !== undefined, "the never-opened write refused");
    expect(h.service.getCase(d.caseId).state).toBe("dropoff_pending");
    expect(compartment(h, d.compartment).status).toBe("reserved");
    freeSpace(h);
    await waitFor(() => h.service.getCase(d.caseId).state === "cancelled", "cancelled by the door rule");
    expect(compartment(h, d.compartment).status).toBe("free");
    expect(h.service.audit({ caseId: d.caseId }).map((a) => a.action)).toContain("door-never-opened");
  });

  it("never opened, but the door reads open when space returns: the drop-off counts, the compartment stays held", async () => {
    const { h, hw } = await core();
    const d = await dropoff(h);
    filler = disk!.fill();
    await waitFor(() => h.service.ledger.storage.problem !== undefined, "the never-opened write refused");
    hw.set(d.compartment, "open"); // opened by hand while nothing could be recorded: a pouch may go in
    freeSpace(h);
    await waitFor(() => h.service.getCase(d.caseId).state === "dropped_off", "kept by the unknown-outcome rule");
    expect(compartment(h, d.compartment).status).toBe("holding");
    expect(h.service.audit({ caseId: d.caseId }).map((a) => a.action)).toContain("door-unseen");
  });

  it("the unlock could not be recorded: the resident's door still works and its close counts once space returns", async () => {
    const { h, hw } = await core();
    const unlock = hw.unlock.bind(hw);
    hw.unlock = async (n) => {
      filler = disk!.fill(); // the disk fills while the latch releases
      return unlock(n);
    };
    const d = await dropoff(h); // not refused: the case was recorded before the unlock, and the door opened
    expect(h.service.ledger.storage.problem).toBeDefined();
    hw.set(d.compartment, "open");
    hw.set(d.compartment, "closed");
    expect(h.service.getCase(d.caseId).state).toBe("dropoff_pending");
    // Meanwhile a new drop-off is refused plainly.
    await expect(dropoff(h)).rejects.toMatchObject({ code: ErrorCode.Store_Unwritable });
    freeSpace(h);
    await waitFor(() => h.service.getCase(d.caseId).state === "dropped_off", "dropped off by the door rule");
    expect(compartment(h, d.compartment).status).toBe("holding");
    expect(h.published.filter((e) => e.type === "dropoff" && e.caseId === d.caseId)).toHaveLength(1);
  });
});
