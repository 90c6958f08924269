import http from "node:http";
import { describe, expect } from "vitest";
import { waitFor } from "../support/waitFor.js";
import { lockerTest } from "../support/harness.js";
import type { Actor } from "../../src/locker/LockerApi.js";

const RESIDENT: Actor = { kind: "resident", id: "web", via: "web", client: "127.0.0.1" };

function adminPost(socketPath: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ socketPath, path, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.setTimeout(60_000);
    req.end(data);
  });
}

describe("selftest --cycle through the daemon never opens a door with a pouch behind it", () => {
  lockerTest("refused (and audited) while a compartment holds a pouch; no unlock goes out", {
    config: { simulator: { openAfterMs: 200, closeAfterMs: 200 } },
    testBody: async (h) => {
      const s = h.daemon.locker;
      const d = await s.startDropoff({ token: s.currentDropoffLink().token, matter: h.config.matters[0]!.id, phone: "13812345678", pin: "482915", consent: true }, RESIDENT);
      await waitFor(() => s.getCase(d.caseId).state === "dropped_off", "drop-off door cycle", 20_000);
      const unlocksBefore = h.logLines.filter((l) => l.includes('"msg":"unlock"')).length;

      const r = await adminPost(h.config.http.adminSocket, "/admin/selftest", { cycle: true });
      // 409 like every Locker_CompartmentUnavailable (one table, src/http/httpStatus.ts); lockerctl maps the code.
      expect(r.status).toBe(409);
      expect(String(r.body.message)).toMatch(new RegExp(`door\\(s\\) ${d.compartment}\\b`));
      await new Promise((res) => setTimeout(res, 300));
      expect(h.logLines.filter((l) => l.includes('"msg":"unlock"')).length).toBe(unlocksBefore);
      expect(s.audit({ limit: 50 }).some((a) => a.action === "selftest-cycle" && a.outcome === "refused")).toBe(true);

      const plain = await adminPost(h.config.http.adminSocket, "/admin/selftest", { cycle: false });
      expect(plain.status).toBe(200);
    },
  });
});
