/**
 * The admin socket of the real daemon: GET /admin/mqtt reports the
 * connection and the outbox; GET /admin/watch streams each event as it is
 * committed (what `lockerctl watch` shows without a broker), and the stream
 * does not keep the daemon from stopping.
 */
import { describe, expect } from "vitest";
import { adminClient } from "../../src/cli/adminClient.js";
import type { LockerEvent } from "../../src/locker/events.js";
import { waitFor } from "../support/waitFor.js";
import { lockerTest } from "../support/harness.js";
import { dropOff } from "./helpers/daemonDriving.js";

describe("admin routes for MQTT", () => {
  lockerTest("report the MQTT state and stream committed events", {
    testBody: async (h) => {
      const admin = adminClient(h.config.http.adminSocket);
      await waitFor(() => h.daemon.mqtt.status().connected, "MQTT connected", 20_000);
      const st = await admin.request<{ connected: boolean; url: string; outboxDepth: number; backlogAlarm: boolean }>("GET", "/admin/mqtt");
      expect(st).toMatchObject({ connected: true, url: h.mqttUrl, outboxDepth: 0, backlogAlarm: false });

      const seen: LockerEvent[] = [];
      const ac = new AbortController();
      const streaming = admin.stream("/admin/watch", (o) => seen.push(o as LockerEvent), ac.signal);
      const d = await dropOff(h, "13700001111");
      await waitFor(() => seen.find((e) => e.type === "dropoff" && e.caseId === d.caseId), "dropoff on /admin/watch", 15_000);
      expect(seen.find((e) => e.type === "dropoff")!.phone).toBe("137****1111");
      await waitFor(async () => (await admin.request<{ lastPublishAt: string | null }>("GET", "/admin/mqtt")).lastPublishAt, "lastPublishAt set", 10_000);
      ac.abort();
      await streaming;
    },
  });

  lockerTest("an open watch stream does not block the daemon's stop", {
    testBody: async (h) => {
      const admin = adminClient(h.config.http.adminSocket);
      const streaming = admin.stream("/admin/watch", () => {});
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      await h.daemon.stop();
      await streaming;
      expect(Date.now() - t0).toBeLessThan(10_000);
    },
  });
});
