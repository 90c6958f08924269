/**
 * The daemon-like child of `bench:crash`: the locker core over the real board
 * layer (simulator over TCP, run by the parent so doors outlive us) and a real
 * SQLite file, driving scripted stories — drop-off, staff collect, staff
 * return, pickup — in a few lanes until it is killed. On start it reconciles
 * and then drives every unfinished case on, as staff and residents would.
 *
 * stdout protocol, one line each: `ready`, `cycle <caseNumber>`, `settled`.
 * Env: BENCH_CONFIG (JSON LockerConfig); BENCH_SETTLE=1: only start (which
 * reconciles), let door cycles in progress finish, then exit 0 — the parent
 * then checks the database against the doors.
 */
import path from "node:path";
import { LockerHardware } from "../src/board/LockerHardware.js";
import type { LockerConfig } from "../src/config/LockerConfig.js";
import { openDatabase } from "../src/store/openDatabase.js";
import { createLogger } from "../src/util/logger.js";
import { systemClock } from "../src/util/clock.js";
import { DomainEvents, type CaseState } from "../src/locker/events.js";
import { openLockerService } from "../src/locker/openLockerService.js";
import type { Actor, CaseView } from "../src/locker/LockerApi.js";

export const BENCH_PIN = "730241";
const RESIDENT: Actor = { kind: "resident", id: "bench-kiosk", via: "kiosk", client: "bench-kiosk" };
const STAFF: Actor = { kind: "staff", id: "bench-staff", via: "staff-page" };
const LANES = 3;

const config = JSON.parse(process.env.BENCH_CONFIG ?? "{}") as LockerConfig;
const settle = process.env.BENCH_SETTLE === "1";
const log = createLogger({ level: "warn", pretty: false, destination: process.stderr as never });
const db = openDatabase(path.join(config.dataDir, "lockerd.sqlite"), log);
const hardware = new LockerHardware({ bus: config.bus, compartments: config.compartments, log });
const locker = openLockerService({ db, hardware, config, events: new DomainEvents(), log, clock: systemClock });
const claimed = new Set<string>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await hardware.start();
await locker.start(10_000);
process.stdout.write("ready\n");

async function waitState(id: string, done: (s: CaseState) => boolean, ms = 10_000): Promise<CaseState> {
  const until = Date.now() + ms;
  for (;;) {
    const s = locker.getCase(id).state;
    if (done(s) || Date.now() > until) return s;
    await sleep(20);
  }
}

/** Move one case one door cycle forward; true when it reached the end of its story. */
async function step(c: CaseView): Promise<boolean> {
  switch (c.state) {
    case "dropped_off":
      await locker.staffCollect(c.id, STAFF);
      await waitState(c.id, (s) => s !== "dropped_off");
      return false;
    case "with_staff":
      await locker.staffReturn(c.id, STAFF);
      await waitState(c.id, (s) => s !== "return_pending");
      return false;
    case "ready": {
      const phone = locker.getCase(c.id, { unmasked: true }).phone;
      await locker.pickup(phone, BENCH_PIN, RESIDENT);
      return (await waitState(c.id, (s) => s !== "collecting")) === "collected";
    }
    case "frozen":
      locker.resetPin(c.id, BENCH_PIN, STAFF);
      return false;
    case "dropoff_pending":
    case "return_pending":
    case "collecting":
      await waitState(c.id, (s) => s !== c.state);
      return false;
    default:
      return true;
  }
}

function openCases(): CaseView[] {
  return locker.listCases({ limit: 1000 }).filter((c) => c.state !== "collected" && c.state !== "cancelled");
}

async function lane(): Promise<void> {
  for (;;) {
    // a drop-off in progress belongs to the lane (or the restarted door cycle) that started it
    let c = openCases().find((x) => !claimed.has(x.id) && x.state !== "dropoff_pending");
    if (!c) {
      const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
      try {
        const d = await locker.startDropoff({ token: locker.currentDropoffLink().token, matter: "other", phone, pin: BENCH_PIN, consent: true }, RESIDENT);
        await waitState(d.caseId, (s) => s !== "dropoff_pending");
      } catch {
        await sleep(100);
      }
      continue;
    }
    claimed.add(c.id);
    try {
      while (!(await step(c))) c = locker.getCase(c.id);
      c = locker.getCase(c.id);
      if (c.state === "collected") process.stdout.write(`cycle ${c.number}\n`);
    } catch {
      await sleep(100);
    } finally {
      claimed.delete(c.id);
    }
  }
}

if (settle) {
  // Every door cycle in flight, by what the database says: a resumed staff collect keeps its
  // case's state (dropped_off) and shows only in pending_op, a drop-off or return only in the state.
  const until = Date.now() + 30_000;
  const inFlight = db.prepare(
    `SELECT (SELECT count(*) FROM locker_case WHERE pending_op IS NOT NULL OR state IN ('dropoff_pending', 'return_pending', 'collecting'))
          + (SELECT count(*) FROM compartment WHERE status = 'reserved') AS n`,
  );
  const busy = () => (inFlight.get() as { n: number }).n > 0;
  while (busy() && Date.now() < until) await sleep(50);
} else {
  await Promise.all(Array.from({ length: LANES }, () => lane()));
}
locker.stop();
await hardware.stop();
db.close();
process.stdout.write("settled\n");
process.exit(0);
