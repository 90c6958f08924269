import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/util/clock.js";
import { FakeDoorHardware } from "../locker/support/FakeDoorHardware.js";
import { startAedes, type TestBroker } from "../mqtt/helpers/brokers.js";
import { RESIDENT, startHarness, stopHarness } from "../support/harness.js";
import { waitFor } from "../support/waitFor.js";

describe("startHarness builds each depth over real parts and stopHarness removes its temp files", () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => broker?.destroy());

  it("bus: the simulator answers a query-all over TCP", async () => {
    const h = await startHarness({ depth: "bus", transport: "tcp" });
    try {
      const r = await h.client.queryAll(1, 1);
      expect(r.channels.length).toBeGreaterThan(0);
    } finally {
      await stopHarness(h);
    }
  });

  it("core: a LockerService on a real SQLite file, log captured, dir removed", async () => {
    const h = await startHarness({ depth: "core", hardware: new FakeDoorHardware([1, 2, 3, 4, 5, 6]), clock: systemClock });
    expect(fs.existsSync(h.dbFile)).toBe(true);
    expect(h.service.currentDropoffLink().url).toMatch(/^http/);
    expect(h.logLines.length).toBeGreaterThan(0);
    await stopHarness(h);
    expect(fs.existsSync(h.dir)).toBe(false);
  });

  it("hardware: the core over LockerHardware and the simulator (TCP), doors polled", async () => {
    const h = await startHarness({ depth: "hardware", transport: "tcp" });
    try {
      expect(h.hardware.online).toBe(true);
      h.board.openDoor(2);
      await waitFor(() => h.service.compartments().find((c) => c.number === 2)?.door === "open", "door 2 seen open");
    } finally {
      await stopHarness(h);
    }
    expect(fs.existsSync(h.dir)).toBe(false);
  });

  it("daemon: the composition root answers /readyz on its free port; the data dir goes on stop", async () => {
    const h = await startHarness({ depth: "daemon" });
    try {
      await waitFor(async () => (await fetch(`${h.baseUrl}/readyz`)).status === 200, "readyz 200");
      const d = await h.daemon.locker.startDropoff(
        { token: h.daemon.locker.currentDropoffLink().token, matter: h.config.matters[0]!.id, phone: "13812345678", pin: "730241", consent: true },
        RESIDENT,
      );
      expect(d.compartment).toBeGreaterThan(0);
    } finally {
      await stopHarness(h);
    }
    expect(fs.existsSync(h.dir)).toBe(false);
  });

  it("http: the public app over the LockerApi double, on a real socket", async () => {
    const h = await startHarness({ depth: "http", config: (c) => (c.kiosk.idleTimeoutMs = 1500) });
    try {
      expect(h.config.kiosk.idleTimeoutMs).toBe(1500);
      const res = await fetch(`${await h.listen()}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await stopHarness(h);
    }
  });

  it("mqtt: the MQTT service connects to the broker it is given", async () => {
    const h = await startHarness({ depth: "mqtt", broker });
    try {
      expect(h.svc.status().connected).toBe(true);
    } finally {
      await stopHarness(h);
    }
    expect(fs.existsSync(h.store.dir)).toBe(false);
  });
});
