/**
 * Issue 15, must-show 4: the demo story with `bus.protocol: "kerong"` — the
 * real daemon (composition root) starts its own simulator speaking Kerong
 * KR-CU on a TCP port, with the embedded broker and the public listener on
 * ephemeral ports. Resident drop-off over HTTP → staff alert over MQTT →
 * staff collect and return → resident pickup at the kiosk; on the wire only
 * Kerong frames, each unlock once.
 */
import { describe, expect, it } from "vitest";
import { startLocker, waitFor, type LockerHarness } from "../helpers/lockerTest.js";
import { subscribe } from "../mqtt/helpers/subscriber.js";
import { json } from "../e2e/support/http.js";
import type { Actor } from "../../src/locker/LockerApi.js";

const PHONE = "13912345678";
const PIN = "730519";
const STAFF: Actor = { kind: "staff", id: "s1", name: "王芳", via: "staff-page" };

describe("the demo story on a Kerong KR-CU board", () => {
  it("drop-off, alert, collect, return, pickup over the Kerong simulator", { timeout: 90_000 }, async () => {
    let h: LockerHarness | undefined;
    try {
      // the simulated people open 300 ms after the unlock and leave the door for the test to close
      h = await startLocker({ config: { bus: { protocol: "kerong" } } });
      const hx = h;
      expect(hx.config.bus.baudRate).toBe(19200);
      expect(hx.sim.protocol).toBe("kerong");
      const events = await subscribe(hx.mqttUrl, `lockers/${hx.config.lockerId}/events/#`, 4);
      const base = hx.baseUrl;
      // The locker's own screen talks to its kiosk listener (the QR, the door states, the keypad pickup); phones use the public one.
      const kiosk = hx.kioskUrl;
      const board = hx.sim.board(1);
      const doorOf = async (n: number) =>
        ((await json(`${kiosk}/kiosk/state`)) as { compartments: Array<{ number: number; door: string; status: string }> }).compartments.find((c) => c.number === n)!;
      const openThenClose = async (n: number, what: string) => {
        await waitFor(async () => (await doorOf(n)).door === "open", `${what}: door ${n} reads open`);
        // a released latch already reads open; wait for the person to have swung the door (and swapped the pouch)
        await waitFor(() => !board.snapshot().channels[n - 1]!.doorClosed, `${what}: the person opened door ${n}`);
        board.closeDoor(n);
        await waitFor(async () => (await doorOf(n)).door === "closed", `${what}: door ${n} reads closed`);
      };
      const caseState = (id: string) => hx.daemon.locker.getCase(id).state;

      // 1. Resident drops off over HTTP with the kiosk's token; the person puts the pouch in.
      const state = (await json(`${kiosk}/kiosk/state`)) as { qr: { url: string } };
      const token = state.qr.url.split("/d/")[1]!;
      const drop = (await json(`${base}/api/dropoff`, { token, matter: "certificate", phone: PHONE, pin: PIN, pinConfirm: PIN, consent: true })) as {
        caseId: string;
        compartment: number;
      };
      await openThenClose(drop.compartment, "drop-off");
      await waitFor(() => caseState(drop.caseId) === "dropped_off", "case dropped off");
      expect(board.item(drop.compartment)).toBe(true);

      // 2. Staff are alerted over MQTT (masked phone only).
      const alert = await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/dropoff")));
      expect(JSON.parse(alert.find((x) => x.topic.endsWith("/events/dropoff"))!.payload)).toMatchObject({
        caseId: drop.caseId,
        compartment: drop.compartment,
        phone: "139****5678",
      });

      // 3. Staff collect, 4. return into a free compartment.
      await hx.daemon.locker.staffCollect(drop.caseId, STAFF);
      await openThenClose(drop.compartment, "collect");
      await waitFor(() => caseState(drop.caseId) === "with_staff", "case with staff");
      expect(board.item(drop.compartment)).toBe(false);
      const ret = await hx.daemon.locker.staffReturn(drop.caseId, STAFF);
      await openThenClose(ret.compartment, "return");
      await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/ready")));

      // 5. The resident collects at the kiosk with phone + PIN.
      const pickup = (await json(`${kiosk}/kiosk/pickup`, { phone: PHONE, pin: PIN })) as { opened: Array<{ compartment: number }> };
      expect(pickup.opened.map((d) => d.compartment)).toEqual([ret.compartment]);
      await openThenClose(ret.compartment, "pickup");
      await events.waitFor((m) => m.some((x) => x.topic.endsWith("/events/collected")));
      expect(caseState(drop.caseId)).toBe("collected");
      expect(board.item(ret.compartment)).toBe(false);

      // Only Kerong frames went out: status reads of board 1 and one 31-pulse per door opening.
      const frames = hx.sim.received;
      expect(frames.length).toBeGreaterThan(10);
      expect(frames.every((f) => f.hex.startsWith("02"))).toBe(true);
      expect(frames.some((f) => f.hex === "0210300345")).toBe(true);
      const unlocks = frames.filter((f) => f.request.kind === "unlock").map((f) => f.hex);
      const pulse = (n: number) => Buffer.from([0x02, 0x10 | (n - 1), 0x31, 0x03, (0x02 + (0x10 | (n - 1)) + 0x31 + 0x03) & 0xff]).toString("hex");
      expect(unlocks).toEqual([pulse(drop.compartment), pulse(drop.compartment), pulse(ret.compartment), pulse(ret.compartment)]);
      await events.close();
    } finally {
      await h?.stop();
    }
  });
});
