/**
 * Forms that wait for slow hands. Opening the kiosk's QR link claims its
 * one-time token and gives the resident's form its own session
 * (`rules.formSessionMs`, default 15 min): the QR token alone lives two
 * minutes, far too short for an elderly resident typing on a phone. The
 * session is also the proof of presence for a pickup on the phone page
 * (valid `rules.presenceMs` after the kiosk minted the token).
 *
 *   GET  /api/form-info        what the form shows (no secrets)
 *   POST /api/sessions         claim a scanned link → {session, remainingMs, presenceRemainingMs}
 *   GET  /api/sessions/:id     how long it has left, or 410 Locker_FormSessionExpired
 *   GET  /f/:id                the resident page again (after a reload)
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";
import { errorResponse } from "../httpErrors.js";
import { publicFile } from "../staticFiles.js";

export interface FormSessionRouteDeps {
  config: LockerConfig;
  locker: LockerApi;
}

const TOKEN = { type: "string", minLength: 8, maxLength: 512, pattern: "^[A-Za-z0-9._~-]+$" } as const;
/** Session ids are 22 characters of base64url (128 random bits). */
export const SESSION = { type: "string", minLength: 16, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;
const errors = { 400: errorResponse, 404: errorResponse, 409: errorResponse, 410: errorResponse, 429: errorResponse, 503: errorResponse };
const sessionView = {
  type: "object",
  additionalProperties: false,
  required: ["session", "remainingMs", "presenceRemainingMs"],
  properties: {
    session: { type: "string" },
    remainingMs: { type: "integer", description: "how long the form may still be submitted, ms" },
    presenceRemainingMs: { type: "integer", description: "how long a pickup with this session is still accepted (proof of presence), ms; 0 = no longer" },
  },
} as const;

function resident(req: FastifyRequest): Actor {
  return { kind: "resident", id: "web", via: "web", client: req.ip };
}

export function formSessionRoutes(deps: FormSessionRouteDeps): FastifyPluginAsync {
  const { config, locker } = deps;
  return async (app) => {
    app.get(
      "/api/form-info",
      {
        schema: {
          summary: "What the resident's form shows: the locker's name and the matters",
          response: {
            200: {
              type: "object",
              additionalProperties: false,
              required: ["displayName", "matters", "helpPhone"],
              properties: {
                displayName: { type: "string" },
                helpPhone: { type: "string" },
                matters: {
                  type: "array",
                  items: {
                    type: "object",
                    additionalProperties: false,
                    required: ["id", "label"],
                    properties: { id: { type: "string" }, label: { type: "object", additionalProperties: { type: "string" } }, icon: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
      async () => ({ displayName: config.displayName, matters: config.matters, helpPhone: config.helpPhone }),
    );

    app.post<{ Body: { token?: string; q?: string; scancode_time?: number } }>(
      "/api/sessions",
      {
        schema: {
          summary: "Open a form session with the scanned kiosk link (claims its one-time token)",
          body: {
            type: "object",
            additionalProperties: false,
            properties: {
              token: TOKEN,
              q: { type: "string", minLength: 10, maxLength: 1024, pattern: "^[hH][tT][tT][pP][sS]?(://|%3[aA]%2[fF]%2[fF])\\S+$" },
              scancode_time: { type: "integer", minimum: 0, maximum: 1e10 },
            },
          },
          response: { 200: sessionView, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        const token = b.token ?? b.q;
        if (!token || (b.token && b.q)) throw new LockerError("send exactly one of token or q", ErrorCode.Locker_InvalidInput, { field: "token" });
        if (b.scancode_time !== undefined && !b.q)
          throw new LockerError("scancode_time goes only with q (the mini-program form)", ErrorCode.Locker_InvalidInput, { field: "scancode_time" });
        return locker.openFormSession(token, resident(req), b.scancode_time);
      },
    );

    app.get<{ Params: { id: string } }>(
      "/api/sessions/:id",
      {
        schema: {
          summary: "How long a form session has left (410 Locker_FormSessionExpired once it lapsed)",
          params: { type: "object", additionalProperties: false, required: ["id"], properties: { id: SESSION } },
          response: { 200: sessionView, ...errors },
        },
      },
      async (req) => locker.formSession(req.params.id),
    );

    app.get<{ Params: { id: string } }>(
      "/f/:id",
      { schema: { hide: true, params: { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string", maxLength: 100 } } } } },
      async (_req, reply) => {
        // The page itself asks whether the session is alive and keeps the typed fields either way.
        const page = publicFile("dropoff.html")!;
        return reply.type(page.type).header("cache-control", "no-store").send(page.body);
      },
    );
  };
}
