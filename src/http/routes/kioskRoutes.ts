/**
 * The kiosk screen (`/kiosk`), its initial state, its live event stream and
 * its pickup endpoint. Staff mode on the kiosk uses the staff API.
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { LockerConfig } from "../../config/LockerConfig.js";
import type { LockerApi } from "../../locker/LockerApi.js";
import { KioskFeed, type QrView } from "../KioskFeed.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import { qrSvg } from "../KioskFeed.js";
import { pickupHandler, pickupSchema } from "./residentRoutes.js";
import type { HttpMetrics } from "../HttpMetrics.js";
import { publicFile } from "../staticFiles.js";
import { CONTENT_SECURITY_POLICY } from "../securityHeaders.js";

export interface KioskRouteDeps {
  config: LockerConfig;
  locker: LockerApi;
  feed: KioskFeed;
  metrics: HttpMetrics;
  boardOnline: () => boolean;
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

/**
 * True when the request comes from the locker's own screen: a direct
 * (unproxied) connection from this machine. The drop-off QR proves that the
 * resident stands at the locker, so it is never handed to anyone else.
 */
export function fromLockerScreen(req: FastifyRequest): boolean {
  if (req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined) return false;
  const peer = req.socket.remoteAddress ?? "";
  return peer === "::1" || peer.startsWith("127.") || peer.startsWith("::ffff:127.") || (peer !== "" && peer === req.socket.localAddress);
}

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
              required: ["displayName", "rows", "columns", "idleTimeoutMs", "defaultLanguage", "boardOnline", "compartments", "qr"],
              properties: {
                displayName: { type: "string" },
                rows: { type: "integer" },
                columns: { type: "integer" },
                idleTimeoutMs: { type: "integer" },
                defaultLanguage: { type: "string" },
                boardOnline: { type: "boolean" },
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
          boardOnline: deps.boardOnline(),
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

    app.post("/kiosk/pickup", { schema: { summary: "Pickup typed on the kiosk keypad", ...pickupSchema } }, pickupHandler(deps, "kiosk", fromLockerScreen));
  };
}
