/**
 * The kiosk screen (`/kiosk`), its initial state, its live event stream and
 * its pickup endpoint. Staff mode on the kiosk uses the staff API.
 */
import type { FastifyPluginAsync } from "fastify";
import type { LockerConfig } from "../../config/LockerConfig.js";
import type { LockerApi } from "../../locker/LockerApi.js";
import { KioskFeed, type QrView } from "../KioskFeed.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import { qrSvg } from "../KioskFeed.js";
import { pickupHandler, pickupSchema } from "./residentRoutes.js";
import type { HttpMetrics } from "../HttpMetrics.js";
import { publicFile } from "../staticFiles.js";
import { CONTENT_SECURITY_POLICY } from "../securityHeaders.js";
import { fromLockerScreen } from "../kioskListener.js";

export { fromLockerScreen } from "../kioskListener.js";

export interface KioskRouteDeps {
  config: LockerConfig;
  locker: LockerApi;
  feed: KioskFeed;
  metrics: HttpMetrics;
  boardOnline: () => boolean;
  /** False while the disk refuses writes (the kiosk shows its out-of-service screen); absent = true. */
  storageOk?: () => boolean;
}

const compartment = {
  type: "object",
  additionalProperties: false,
  required: ["number", "row", "column", "status", "door"],
  properties: {
    number: { type: "integer" },
    size: { type: "string" },
    row: { type: "integer" },
    column: { type: "integer" },
    status: { type: "string" },
    door: { type: "string" },
    caseNumber: { type: "string" },
  },
} as const;

export function kioskRoutes(deps: KioskRouteDeps): FastifyPluginAsync {
  const { config, locker, feed } = deps;
  return async (app) => {
    app.get("/kiosk", { schema: { hide: true } }, async (_req, reply) => {
      const page = publicFile("kiosk.html")!;
      return reply.type(page.type).send(page.body);
    });

    app.get(
      "/kiosk/state",
      {
        schema: {
          summary: "Everything the kiosk needs to draw its first screen",
          response: {
            200: {
              type: "object",
              additionalProperties: false,
              required: ["displayName", "rows", "columns", "idleTimeoutMs", "defaultLanguage", "helpPhone", "timeZone", "boardOnline", "compartments", "qr"],
              properties: {
                displayName: { type: "string" },
                rows: { type: "integer" },
                columns: { type: "integer" },
                idleTimeoutMs: { type: "integer" },
                defaultLanguage: { type: "string" },
                helpPhone: { type: "string", description: "the centre's help phone (config helpPhone); empty = none" },
                timeZone: { type: "string", description: "IANA zone the screen shows clock times in (config timeZone)" },
                boardOnline: { type: "boolean" },
                storageOk: { type: "boolean", description: "false while the disk refuses writes: out of service (as with the board offline)" },
                compartments: { type: "array", items: compartment },
                qr: {
                  type: ["object", "null"],
                  additionalProperties: false,
                  required: ["url", "svg", "expiresAtWallMs"],
                  properties: { url: { type: "string" }, svg: { type: "string" }, expiresAtWallMs: { type: "number" } },
                },
              },
            },
          },
        },
      },
      async (req) => {
        let qr: QrView | null = null;
        // The QR goes to the locker's own screen only: anyone else could start drop-offs from afar.
        if (fromLockerScreen(req)) {
          try {
            const link = locker.currentDropoffLink();
            if (!feed.lastQr || feed.lastQr.url !== link.url) feed.lastQr = { url: link.url, svg: await qrSvg(link.url), expiresAtWallMs: link.expiresAtWallMs };
            qr = feed.lastQr;
          } catch (err) {
            // No QR while tokens cannot be issued (e.g. the wall clock is not synced yet): pickup still works.
            if (!(err instanceof LockerError)) throw err;
          }
        }
        return {
          displayName: config.displayName,
          rows: config.kiosk.rows,
          columns: config.kiosk.columns,
          idleTimeoutMs: config.kiosk.idleTimeoutMs,
          defaultLanguage: config.kiosk.defaultLanguage,
          helpPhone: config.helpPhone,
          timeZone: config.timeZone,
          boardOnline: deps.boardOnline(),
          storageOk: deps.storageOk?.() ?? true,
          compartments: locker.compartments(),
          qr,
        };
      },
    );

    app.get("/kiosk/events", { schema: { summary: "Live kiosk updates (text/event-stream), for the locker's own screen only" }, config: { rateLimit: false } }, (req, reply) => {
      // It carries the drop-off QR, and its few slots must stay free for the real screen.
      if (!fromLockerScreen(req)) throw new LockerError("the live kiosk stream is served only to the locker's own screen", ErrorCode.Locker_CommandRefused);
      if (feed.size >= KioskFeed.MAX_CLIENTS)
        throw new LockerError(`too many live screens (${KioskFeed.MAX_CLIENTS} at most)`, ErrorCode.Locker_Throttled, { retryAfterMs: 10_000 });
      reply.hijack();
      // Hijacked replies skip onSend hooks, so the stream gets its headers here.
      feed.attach(reply.raw, { "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff" });
      req.raw.on("close", () => reply.raw.end());
    });

    const keypad = pickupHandler(deps, "kiosk");
    app.post<{ Body: { phone: string; pin: string } }>(
      "/kiosk/pickup",
      { schema: { summary: "Pickup typed on the kiosk keypad; served only on the kiosk's own listener (http.kioskPort)", ...pickupSchema } },
      async (req) => {
        // Phone + PIN alone never open a door from elsewhere: away from the screen, pickup needs the kiosk's QR.
        if (!fromLockerScreen(req)) throw new LockerError("the keypad pickup is served only on the locker's own screen (kiosk listener)", ErrorCode.Locker_PresenceRequired);
        return keypad(req);
      },
    );
  };
}
