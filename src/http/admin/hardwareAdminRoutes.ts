/**
 * Admin-socket routes of the board layer (ADMIN_API.md, owner A), used by
 * `lockerctl monitor` and `lockerctl selftest` when the daemon holds the port.
 */
import type { FastifyPluginAsync } from "fastify";
import type { LockerHardware } from "../../board/LockerHardware.js";

/**
 * @param deps.beforeCycle called before `selftest --cycle` unlocks every door;
 * throws to refuse (the daemon refuses while a compartment holds or awaits a
 * pouch) and records the run in the audit trail.
 */
export function hardwareAdminRoutes(deps: { hardware: LockerHardware; beforeCycle?: () => void }): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { cycle?: boolean } }>(
      "/admin/selftest",
      {
        schema: {
          body: { type: "object", additionalProperties: false, properties: { cycle: { type: "boolean" } } },
        },
      },
      async (req) => {
        const cycle = req.body?.cycle === true;
        if (cycle) deps.beforeCycle?.();
        return deps.hardware.selftest({ cycle });
      },
    );

    // ndjson until the client hangs up: raw frames, door changes, item presence (sensing boards), online/offline
    app.get("/admin/monitor", (req, reply) => {
      const hw = deps.hardware;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
      const send = (o: unknown) => res.write(JSON.stringify(o) + "\n");
      const onFrame = (f: { dir: string; bytes: Buffer; atWallMs: number }) => send({ type: "frame", dir: f.dir, hex: f.bytes.toString("hex"), atWallMs: f.atWallMs });
      const onDoor = (e: object) => send({ type: "door", ...e });
      const onItem = (e: object) => send({ type: "item", ...e });
      const onOnline = (e: object) => send({ type: "online", ...e });
      const onOffline = (e: object) => send({ type: "offline", ...e });
      hw.on("frame", onFrame);
      hw.on("door", onDoor);
      hw.on("item", onItem);
      hw.on("online", onOnline);
      hw.on("offline", onOffline);
      send({ type: hw.online ? "online" : "offline", atWallMs: Date.now(), doors: Object.fromEntries(hw.doorStates()) });
      req.raw.on("close", () => {
        hw.off("frame", onFrame);
        hw.off("door", onDoor);
        hw.off("item", onItem);
        hw.off("online", onOnline);
        hw.off("offline", onOffline);
      });
    });
  };
}
