/**
 * Staff page (`/staff`) and its API. Sign-in with a staff code sets an
 * HttpOnly, SameSite=Strict session cookie; every action is taken with an
 * `Actor` of kind "staff" carrying the member's name, so the core audits it.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";
import type { CaseState, LockerEvent } from "../../locker/events.js";
import { fromLockerScreen } from "../kioskListener.js";
import { publicFile } from "../staticFiles.js";
import type { StaffStore } from "../staff/StaffStore.js";
import { STAFF_SESSION_COOKIE, type StaffSession, type StaffSessions } from "../staff/StaffSessions.js";
import type { SignInThrottle } from "../staff/SignInThrottle.js";
import type { AuditPager } from "../../store/AuditLog.js";
import { staffCompartmentRoutes } from "./staffCompartmentRoutes.js";
import { errors, ok, opened } from "./staffSchemas.js";

export interface StaffRouteDeps {
  locker: LockerApi;
  staff: StaffStore;
  sessions: StaffSessions;
  throttle: SignInThrottle;
  /** Recent alarm events (newest last). */
  alarms: () => LockerEvent[];
  /**
   * Send the cookie with `Secure`: over HTTPS (lockerd's own TLS, or a trusted
   * proxy's X-Forwarded-Proto) and whenever publicBaseUrl is https. Not on the
   * kiosk's loopback listener, which is plain HTTP and never leaves the machine.
   */
  secureCookie: (req: FastifyRequest) => boolean;
  /** IANA zone the page shows times in (config `timeZone`). */
  timeZone?: string;
  /** Newest-first pages of the audit trail. */
  auditPage: AuditPager;
}

const STATES: CaseState[] = ["dropoff_pending", "dropped_off", "with_staff", "return_pending", "ready", "collecting", "collected", "cancelled", "frozen"];
const CASE_ID = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } },
} as const;
const caseView = {
  type: "object",
  additionalProperties: false,
  properties: {
    id: { type: "string" },
    number: { type: "string" },
    state: { type: "string" },
    matter: { type: "string" },
    phone: { type: "string" },
    name: { type: "string" },
    note: { type: "string" },
    compartment: { type: "integer" },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
    readyAt: { type: "string" },
    closedAt: { type: "string" },
    failedPinAttempts: { type: "integer" },
    overdue: { type: "boolean" },
  },
} as const;

/** The value of one cookie from the Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

declare module "fastify" {
  interface FastifyRequest {
    staffSession?: StaffSession;
  }
}

export function staffRoutes(deps: StaffRouteDeps): FastifyPluginAsync {
  const { locker, sessions } = deps;
  // The kiosk's staff mode marks its requests so the audit trail says where the door was opened from.
  // Known by the listener it came in on, not by a header anyone could send.
  const via = (req: FastifyRequest) => (fromLockerScreen(req) ? "kiosk" : "staff-page");
  const actor = (req: FastifyRequest): Actor => ({ kind: "staff", id: req.staffSession!.staffId, name: req.staffSession!.name, via: via(req), client: req.ip });
  const cookie = (req: FastifyRequest, value: string, maxAgeS: number) =>
    `${STAFF_SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${deps.secureCookie(req) ? "; Secure" : ""}`;

  return async (app) => {
    app.get("/staff", { schema: { hide: true } }, async (_req, reply) => {
      const page = publicFile("staff.html")!;
      return reply.type(page.type).send(page.body);
    });

    app.post<{ Body: { code: string } }>(
      "/api/staff/session",
      {
        schema: {
          summary: "Sign in with a staff code (sets the session cookie)",
          body: { type: "object", additionalProperties: false, required: ["code"], properties: { code: { type: "string", pattern: "^[0-9]{8}$" } } },
          response: { 200: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string" } } }, ...errors },
        },
      },
      async (req, reply) => {
        const waitMs = deps.throttle.admit(req.ip, req.body.code);
        if (waitMs > 0) throw new LockerError("staff sign-in throttled", ErrorCode.Locker_Throttled, { retryAfterMs: waitMs });
        const member = await deps.staff.verify(req.body.code);
        if (!member) {
          deps.throttle.failed(req.ip, req.body.code);
          locker.recordAudit({ kind: "staff", id: "unknown", via: via(req), client: req.ip }, "staff-sign-in", "refused", { reason: "wrong staff code" });
          throw new LockerError("员工码不对，请再试一次。Wrong staff code.", ErrorCode.Locker_Unauthorized);
        }
        deps.throttle.succeeded(req.ip);
        const s = sessions.create(member);
        locker.recordAudit({ kind: "staff", id: member.id, name: member.name, via: via(req), client: req.ip }, "staff-sign-in", "ok");
        void reply.header("set-cookie", cookie(req, s.id, Math.floor(sessions.ttlMs / 1000)));
        return { name: member.name };
      },
    );

    app.delete("/api/staff/session", { schema: { summary: "Sign out", response: { 200: ok } } }, async (req, reply) => {
      sessions.end(readCookie(req.headers.cookie, STAFF_SESSION_COOKIE));
      void reply.header("set-cookie", cookie(req, "", 0));
      return { ok: true };
    });

    // Everything below needs a live session.
    await app.register(async (authed) => {
      authed.addHook("preHandler", async (req: FastifyRequest, _reply: FastifyReply) => {
        // SameSite=Strict already keeps the cookie off cross-site requests; a
        // foreign Origin on a state change is refused as well (defence in depth).
        if (req.method !== "GET" && req.headers.origin && !sameOrigin(req.headers.origin, req.headers.host))
          throw new LockerError("request from another site refused", ErrorCode.Locker_CommandRefused);
        const s = sessions.get(readCookie(req.headers.cookie, STAFF_SESSION_COOKIE));
        if (!s) throw new LockerError("not signed in", ErrorCode.Locker_Unauthorized);
        req.staffSession = s;
      });

      authed.get(
        "/api/staff/session",
        {
          schema: {
            summary: "Who is signed in, and the locker's time zone for showing times",
            response: {
              200: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string" }, timeZone: { type: "string" } } },
              ...errors,
            },
          },
        },
        async (req) => ({ name: req.staffSession!.name, ...(deps.timeZone ? { timeZone: deps.timeZone } : {}) }),
      );

      authed.get<{ Querystring: { state?: CaseState; limit?: number } }>(
        "/api/staff/cases",
        {
          schema: {
            summary: "Cases, optionally of one state",
            querystring: {
              type: "object",
              additionalProperties: false,
              properties: { state: { type: "string", enum: STATES }, limit: { type: "integer", minimum: 1, maximum: 500 } },
            },
            response: { 200: { type: "array", items: caseView }, ...errors },
          },
        },
        async (req) => locker.listCases({ ...(req.query.state ? { state: req.query.state } : {}), limit: req.query.limit ?? 200 }),
      );

      authed.get<{ Querystring: { before?: number } }>(
        "/api/staff/alarms",
        {
          schema: {
            summary: "Recent alarms and the audit trail, newest first; page back with ?before=<smallest seq shown>",
            querystring: { type: "object", additionalProperties: false, properties: { before: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
            response: {
              200: {
                type: "object",
                additionalProperties: false,
                required: ["alarms", "audit"],
                properties: {
                  alarms: { type: "array", items: { type: "object", additionalProperties: true } },
                  audit: { type: "array", items: { type: "object", additionalProperties: true } },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => ({
          alarms: deps.alarms().slice(-50).reverse(),
          audit: deps.auditPage({ limit: 50, ...(req.query.before !== undefined ? { beforeSeq: req.query.before } : {}) }),
        }),
      );

      authed.get<{ Params: { id: string } }>(
        "/api/staff/cases/:id/phone",
        {
          schema: {
            summary: "The case's full phone, to call the resident (each view is audited with the staff member's name)",
            params: CASE_ID,
            response: { 200: { type: "object", additionalProperties: false, required: ["phone"], properties: { phone: { type: "string" } } }, ...errors },
          },
        },
        async (req) => {
          const c = locker.getCase(req.params.id, { unmasked: true });
          // Purged (30 days after closing): only the masked number is left, and nothing personal was shown.
          const full = /^\d{11}$/.test(c.phone);
          locker.recordAudit(actor(req), "case.phone-viewed", full ? "ok" : "refused", { caseId: c.id, ...(full ? {} : { reason: "phone purged" }) });
          if (!full) throw new LockerError("这个办件的手机号已按隐私规定删除。The phone was purged.", ErrorCode.Locker_IllegalTransition, { caseId: c.id });
          return { phone: c.phone };
        },
      );

      const caseAction = (path: string, summary: string, run: (id: string, a: Actor) => Promise<unknown>) =>
        authed.post<{ Params: { id: string } }>(path, { schema: { summary, params: CASE_ID, response: { 200: opened, ...errors } } }, async (req) =>
          run(req.params.id, actor(req)),
        );
      caseAction("/api/staff/cases/:id/collect", "Open the case's compartment to collect the pouch", (id, a) => locker.staffCollect(id, a));
      caseAction("/api/staff/cases/:id/return", "Open a free compartment to put the result in", (id, a) => locker.staffReturn(id, a));

      authed.post<{ Params: { id: string }; Body: { newPin: string } }>(
        "/api/staff/cases/:id/reset-pin",
        {
          schema: {
            summary: "Set a new PIN for a case (unfreezes it)",
            params: CASE_ID,
            body: { type: "object", additionalProperties: false, required: ["newPin"], properties: { newPin: { type: "string", pattern: "^[0-9]{6}$" } } },
            response: { 200: ok, ...errors },
          },
        },
        async (req) => {
          locker.resetPin(req.params.id, req.body.newPin, actor(req));
          return { ok: true };
        },
      );

      await authed.register(staffCompartmentRoutes({ locker, actor }));
    });
  };
}
