/**
 * Resident drop-off page `/d/:token` and the JSON API it (and a mini-program
 * backend) calls: drop-off, case status, pickup.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { LockerConfig } from "../../config/LockerConfig.js";
import type { Actor, LockerApi, Presence } from "../../locker/LockerApi.js";
import { SESSION } from "./formSessionRoutes.js";
import { errorResponse, toHttpError } from "../httpErrors.js";
import { publicFile } from "../staticFiles.js";
import type { HttpMetrics } from "../HttpMetrics.js";
import type { CaseLinks } from "../caseLinks.js";
import { residentNotice } from "../../notify/residentNotice.js";
import { maskPhone, MOBILE_PHONE_PATTERN } from "../../rules/phone.js";
import { NAME_MAX_CHARS, NOTE_MAX_CHARS } from "../../rules/limits.js";

export interface ResidentRouteDeps {
  config: LockerConfig;
  locker: LockerApi;
  metrics: HttpMetrics;
  /** The bookmarkable case link handed back after a drop-off. */
  links?: CaseLinks;
}

const TOKEN = { type: "string", minLength: 8, maxLength: 512, pattern: "^[A-Za-z0-9._~-]+$" } as const;
const PHONE = { type: "string", pattern: MOBILE_PHONE_PATTERN.source } as const;
const PIN = { type: "string", pattern: "^[0-9]{6}$" } as const;
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  410: errorResponse,
  423: errorResponse,
  429: errorResponse,
  503: errorResponse,
};

export const caseStatusSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "number", "state", "matter", "updatedAt"],
  properties: {
    id: { type: "string" },
    number: { type: "string" },
    state: { type: "string" },
    matter: { type: "string" },
    compartment: { type: "integer" },
    updatedAt: { type: "string" },
  },
} as const;

const openedSchema = {
  type: "object",
  additionalProperties: false,
  required: ["opened"],
  properties: {
    opened: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["compartment"],
        properties: { compartment: { type: "integer" }, caseNumber: { type: "string" }, caseId: { type: "string" } },
      },
    },
  },
} as const;

function resident(req: FastifyRequest, via: string, screen = false): Actor {
  return { kind: "resident", id: via, via, client: req.ip, ...(screen ? { screen: true } : {}) };
}

/**
 * Pickup handler shared by `/api/pickup` (the phone page: its form session is
 * the proof of presence) and `/kiosk/pickup` (the kiosk's own listener).
 */
export function pickupHandler(deps: ResidentRouteDeps, via: "web" | "kiosk") {
  // The kiosk keypad is served only on the locker's own listener: its checks go ahead of network clients (PIN hash budget).
  return async (req: FastifyRequest<{ Body: { phone: string; pin: string; session?: string } }>) => {
    const presence: Presence | undefined = via === "kiosk" ? { kind: "kiosk" } : req.body.session ? { kind: "session", session: req.body.session } : undefined;
    try {
      const opened = await deps.locker.pickup(req.body.phone, req.body.pin, resident(req, via, via === "kiosk"), presence);
      return { opened: opened.map((o) => ({ compartment: o.compartment, ...(o.caseNumber ? { caseNumber: o.caseNumber } : {}), ...(o.caseId ? { caseId: o.caseId } : {}) })) };
    } catch (err) {
      if (err instanceof LockerError) deps.metrics.pinFailure(ErrorCode[err.code] ?? String(err.code));
      throw err;
    }
  };
}

export const pickupSchema = {
  body: { type: "object", additionalProperties: false, required: ["phone", "pin"], properties: { phone: PHONE, pin: PIN } },
  response: { 200: openedSchema, ...errors },
} as const;

/** The phone page's pickup: the form session opened from the kiosk's QR proves the resident is at the locker. */
const apiPickupSchema = {
  body: { type: "object", additionalProperties: false, required: ["phone", "pin"], properties: { phone: PHONE, pin: PIN, session: SESSION } },
  response: { 200: openedSchema, ...errors },
} as const;

export function residentRoutes(deps: ResidentRouteDeps): FastifyPluginAsync {
  const { config, locker } = deps;
  const matterIds = config.matters.map((m) => m.id);

  return async (app) => {
    app.get<{ Params: { token: string } }>(
      "/d/:token",
      { schema: { params: { type: "object", additionalProperties: false, required: ["token"], properties: { token: { type: "string", maxLength: 600 } } }, hide: true } },
      async (req, reply: FastifyReply) => {
        const check = /^[A-Za-z0-9._~-]{8,512}$/.test(req.params.token)
          ? locker.checkDropoffToken(req.params.token)
          : { ok: false as const, code: ErrorCode.Locker_TokenInvalid, message: "" };
        const wantsJson = (req.headers.accept ?? "").includes("application/json") && !(req.headers.accept ?? "").includes("text/html");
        if (!check.ok) {
          const { status, body } = toHttpError(new LockerError(check.message, check.code as ErrorCode));
          if (wantsJson) return reply.code(status).send(body);
          const page = publicFile("scan-again.html")!;
          return reply.code(status).type(page.type).send(page.body);
        }
        const page = publicFile("dropoff.html")!;
        return reply.type(page.type).send(page.body);
      },
    );

    app.get<{ Params: { token: string } }>(
      "/api/dropoff/:token",
      {
        schema: {
          summary: "Check a drop-off token and get what the drop-off form needs",
          params: { type: "object", additionalProperties: false, required: ["token"], properties: { token: TOKEN } },
          response: {
            200: {
              type: "object",
              additionalProperties: false,
              required: ["displayName", "expiresAtWallMs", "matters", "helpPhone"],
              properties: {
                displayName: { type: "string" },
                helpPhone: { type: "string", description: "the centre's help phone (config helpPhone); empty = none" },
                expiresAtWallMs: { type: "number" },
                matters: {
                  type: "array",
                  items: {
                    type: "object",
                    additionalProperties: false,
                    required: ["id", "label"],
                    properties: {
                      id: { type: "string" },
                      label: { type: "object", additionalProperties: { type: "string" } },
                      icon: { type: "string", description: "pictogram name (config matters[].icon)" },
                    },
                  },
                },
              },
            },
            ...errors,
          },
        },
      },
      async (req) => {
        const check = locker.checkDropoffToken(req.params.token);
        if (!check.ok) throw new LockerError(check.message, check.code as ErrorCode);
        return { displayName: config.displayName, expiresAtWallMs: check.expiresAtWallMs, matters: config.matters, helpPhone: config.helpPhone };
      },
    );

    app.post<{
      Body: {
        token?: string;
        q?: string;
        session?: string;
        scancode_time?: number;
        matter: string;
        phone: string;
        name?: string;
        note?: string;
        pin: string;
        pinConfirm?: string;
        consent: boolean;
      };
    }>(
      "/api/dropoff",
      {
        schema: {
          summary: "Start a drop-off with a form session (the page), or a token / q (claimed here): creates the case and unlocks a compartment",
          body: {
            type: "object",
            additionalProperties: false,
            required: ["matter", "phone", "pin", "consent"],
            properties: {
              token: TOKEN,
              session: SESSION,
              // WeChat may pass the link URL-encoded.
              q: { type: "string", minLength: 10, maxLength: 1024, pattern: "^[hH][tT][tT][pP][sS]?(://|%3[aA]%2[fF]%2[fF])\\S+$" },
              scancode_time: { type: "integer", minimum: 0, maximum: 1e10 },
              matter: { type: "string", enum: matterIds },
              phone: PHONE,
              name: { type: "string", maxLength: NAME_MAX_CHARS },
              note: { type: "string", maxLength: NOTE_MAX_CHARS },
              pin: PIN,
              pinConfirm: PIN,
              consent: { type: "boolean", const: true },
            },
          },
          response: {
            200: {
              type: "object",
              additionalProperties: false,
              required: ["caseId", "caseNumber", "compartment"],
              properties: {
                caseId: { type: "string" },
                caseNumber: { type: "string" },
                compartment: { type: "integer" },
                caseLink: { type: "string", description: "the resident's bookmarkable case page, <publicBaseUrl>/c/<token>" },
                notice: { type: "string", description: "which notice the resident gets when the result is ready, and how" },
              },
            },
            ...errors,
          },
        },
      },
      async (req) => {
        const b = req.body;
        const token = b.token ?? b.q;
        if ([b.token, b.q, b.session].filter((x) => x !== undefined).length !== 1)
          throw new LockerError("send exactly one of session (the page's form session), token or q", ErrorCode.Locker_InvalidInput, { field: "token" });
        if (b.pinConfirm !== undefined && b.pinConfirm !== b.pin)
          throw new LockerError("两次输入的密码不一致，请重新输入。", ErrorCode.Locker_InvalidInput, { field: "pinConfirm" });
        // scancode_time stretches a token's life to the moment WeChat scanned it;
        // only the mini-program backend (which sends q) has a scan time to give.
        if (b.scancode_time !== undefined && !b.q)
          throw new LockerError("scancode_time goes only with q (the mini-program form)", ErrorCode.Locker_InvalidInput, { field: "scancode_time" });
        const via = b.q ? "miniprogram" : "web";
        const r = await locker.startDropoff(
          {
            ...(token !== undefined ? { token } : { session: b.session! }),
            ...(b.scancode_time !== undefined ? { scancodeTime: b.scancode_time } : {}),
            matter: b.matter,
            phone: b.phone,
            ...(b.name?.trim() ? { name: b.name.trim() } : {}),
            ...(b.note?.trim() ? { note: b.note.trim() } : {}),
            pin: b.pin,
            consent: b.consent,
          },
          resident(req, via),
        );
        return {
          caseId: r.caseId,
          caseNumber: r.caseNumber,
          compartment: r.compartment,
          ...(deps.links ? { caseLink: deps.links.url(r.caseId) } : {}),
          notice: residentNotice(config, maskPhone(b.phone)),
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      "/api/cases/:id",
      {
        schema: {
          summary: "Status of one case, for the resident's phone page (no personal data)",
          params: {
            type: "object",
            additionalProperties: false,
            required: ["id"],
            properties: { id: { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } },
          },
          response: { 200: caseStatusSchema, ...errors },
        },
      },
      async (req) => {
        const c = locker.caseStatus(req.params.id);
        return { id: c.id, number: c.number, state: c.state, matter: c.matter, ...(c.compartment !== undefined ? { compartment: c.compartment } : {}), updatedAt: c.updatedAt };
      },
    );

    app.post(
      "/api/pickup",
      {
        schema: {
          summary: "Pickup on the phone page, at the locker: phone, PIN and the form session opened from the kiosk's QR (without it: 403 Locker_PresenceRequired)",
          ...apiPickupSchema,
        },
      },
      pickupHandler(deps, "web"),
    );
  };
}
