/**
 * What the staff page needs to follow the work: the matters (to show each
 * case's matter by its label, not its id) and a live stream
 * (`/api/staff/events`, server-sent events) that says "something changed"
 * whenever a case moves, a door opens or closes, or an alarm is raised, so
 * the page reloads at once instead of waiting for a refresh. Both need a
 * signed-in staff session.
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { MatterConfig } from "../../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { DomainEvents } from "../../locker/events.js";
import { errorResponse } from "../httpErrors.js";
import { CONTENT_SECURITY_POLICY } from "../securityHeaders.js";
import { STAFF_SESSION_COOKIE, type StaffSessions } from "../staff/StaffSessions.js";
import { readCookie } from "./staffRoutes.js";

export interface StaffLiveRouteDeps {
  matters: MatterConfig[];
  events: DomainEvents;
  sessions: StaffSessions;
  /** Comment line sent this often to keep the stream (and its session check) alive, ms. */
  heartbeatMs?: number;
}

/** Staff pages streaming at once at most (the route is not rate-limited). */
export const MAX_STAFF_STREAMS = 16;

export function staffLiveRoutes(deps: StaffLiveRouteDeps): FastifyPluginAsync {
  const { events, sessions } = deps;
  const signedIn = (req: FastifyRequest) => sessions.get(readCookie(req.headers.cookie, STAFF_SESSION_COOKIE));
  const open = new Set<() => void>();
  return async (app) => {
    app.addHook("onClose", async () => {
      for (const close of [...open]) close();
    });
    app.get(
      "/api/staff/matters",
      {
        schema: {
          summary: "The matters residents choose from, with their labels (signed-in staff)",
          response: {
            200: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["id", "label"],
                properties: { id: { type: "string" }, label: { type: "object", additionalProperties: { type: "string" } }, icon: { type: "string" } },
              },
            },
            401: errorResponse,
          },
        },
      },
      async (req) => {
        if (!signedIn(req)) throw new LockerError("not signed in", ErrorCode.Locker_Unauthorized);
        return deps.matters;
      },
    );

    app.get(
      "/api/staff/events",
      { schema: { summary: "Live 'changed' notices for the staff page (text/event-stream; signed-in staff)" }, config: { rateLimit: false } },
      (req, reply) => {
        const session = signedIn(req);
        if (!session) throw new LockerError("not signed in", ErrorCode.Locker_Unauthorized);
        if (open.size >= MAX_STAFF_STREAMS) throw new LockerError(`too many live staff pages (${MAX_STAFF_STREAMS} at most)`, ErrorCode.Locker_Throttled, { retryAfterMs: 10_000 });
        reply.hijack();
        const res = reply.raw;
        // Hijacked replies skip onSend hooks, so the stream gets its headers here.
        res.writeHead(200, {
          "content-security-policy": CONTENT_SECURITY_POLICY,
          "x-content-type-options": "nosniff",
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        res.write("retry: 3000\n\n");
        const send = (what: string) => () => {
          if (!res.writableEnded) res.write(`event: changed\ndata: ${JSON.stringify({ what })}\n\n`);
        };
        const onCase = send("case");
        const onDoors = send("doors");
        const onOutbox = (e: { type: string }) => e.type === "alarm" && send("alarm")();
        events.on("caseChanged", onCase);
        events.on("compartmentsChanged", onDoors);
        events.on("outboxAppended", onOutbox);
        // The session may end (sign-out, expiry, code revoked): then the stream ends too.
        const beat = setInterval(() => {
          if (!sessions.isLive(session.id)) return close();
          if (!res.writableEnded) res.write(": keep-alive\n\n");
        }, deps.heartbeatMs ?? 15_000);
        beat.unref();
        function close(): void {
          if (!open.delete(close)) return;
          clearInterval(beat);
          events.off("caseChanged", onCase);
          events.off("compartmentsChanged", onDoors);
          events.off("outboxAppended", onOutbox);
          res.end();
        }
        open.add(close);
        req.raw.on("close", close);
        res.on("close", close);
      },
    );
  };
}
