/**
 * Admin-socket routes of the locker core (ADMIN_API.md, owner B), used by
 * `lockerctl cases|case|events|disable|enable|backup|open`. The admin socket
 * is local only; the technician acts as actor kind "technician" via "admin".
 */
import type { FastifyPluginAsync } from "fastify";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";
import type { CaseState } from "../../locker/events.js";
import { ALL_CASE_STATES } from "../../locker/caseMachine.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { AuditPager } from "../../store/AuditLog.js";
import { auditPagerOf } from "../auditPager.js";

export interface CoreAdminDeps {
  locker: LockerApi;
  /** Online backup of the database to `file` (must not exist yet); `keep` rotates the series. */
  backup(file: string, keep?: number): Promise<{ file: string; bytes: number; removed: string[] }>;
  /** Newest-first pages of the audit trail (the store's AuditLog.page). */
  auditPage?: AuditPager;
}

const TECHNICIAN: Actor = { kind: "technician", id: "lockerctl", via: "admin" };
const nParams = { type: "object", required: ["n"], properties: { n: { type: "integer", minimum: 1, maximum: 99 } } } as const;
const reasonBody = { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: { type: "string", minLength: 1, maxLength: 200 } } } as const;

export function coreAdminRoutes(deps: CoreAdminDeps): FastifyPluginAsync {
  const { locker } = deps;
  const auditPage = auditPagerOf(locker, deps.auditPage);
  const snapshot = (n: number) => locker.compartments().find((c) => c.number === n);
  return async (app) => {
    app.get("/admin/compartments", async () => locker.compartments());

    app.post<{ Params: { n: number }; Body: { reason: string } }>("/admin/compartments/:n/open", { schema: { params: nParams, body: reasonBody } }, async (req) =>
      locker.staffOpen(req.params.n, req.body.reason, TECHNICIAN),
    );

    app.post<{ Params: { n: number }; Body: { reason: string } }>("/admin/compartments/:n/disable", { schema: { params: nParams, body: reasonBody } }, async (req) => {
      locker.disable(req.params.n, req.body.reason, TECHNICIAN);
      return snapshot(req.params.n);
    });

    app.post<{ Params: { n: number } }>("/admin/compartments/:n/enable", { schema: { params: nParams } }, async (req) => {
      locker.enable(req.params.n, TECHNICIAN);
      return snapshot(req.params.n);
    });

    app.get<{ Querystring: { state?: CaseState; limit?: number } }>(
      "/admin/cases",
      {
        schema: {
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: { state: { type: "string", enum: [...ALL_CASE_STATES] }, limit: { type: "integer", minimum: 1, maximum: 1000 } },
          },
        },
      },
      async (req) => locker.listCases({ ...(req.query.state ? { state: req.query.state } : {}), limit: req.query.limit ?? 100 }),
    );

    app.get<{ Params: { id: string }; Querystring: { as?: string } }>(
      "/admin/cases/:id",
      {
        schema: {
          params: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1, maxLength: 64 } } },
          querystring: { type: "object", additionalProperties: false, properties: { as: { type: "string", minLength: 1, maxLength: 40 } } },
        },
      },
      async (req) => {
        const c = locker.getCase(req.params.id, { unmasked: true });
        // The full phone is personal data: every view of it is on the audit trail (issue 13).
        if (/^\d{11}$/.test(c.phone)) locker.recordAudit({ ...TECHNICIAN, name: req.query.as ?? "technician" }, "case.phone-viewed", "ok", { caseId: c.id });
        return c;
      },
    );

    // Staff steps from the technician's shell (demo story, or a staff page that is down):
    // the same operations as the staff page, audited under the name given.
    const caseAction = (path: string, run: (id: string, actor: Actor) => Promise<unknown>) =>
      app.post<{ Params: { id: string }; Body: { as?: string } }>(
        path,
        {
          schema: {
            params: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1, maxLength: 64 } } },
            body: { type: "object", additionalProperties: false, properties: { as: { type: "string", minLength: 1, maxLength: 40 } } },
          },
        },
        async (req) => {
          const c = locker.getCase(req.params.id);
          return run(c.id, { ...TECHNICIAN, name: req.body?.as ?? "technician" });
        },
      );
    caseAction("/admin/cases/:id/collect", (id, actor) => locker.staffCollect(id, actor));
    caseAction("/admin/cases/:id/return", (id, actor) => locker.staffReturn(id, actor));

    app.get<{ Querystring: { sinceSeq?: number; before?: number; since?: string; limit?: number; caseId?: string; order?: "newest" | "oldest" } }>(
      "/admin/events",
      {
        schema: {
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: {
              sinceSeq: { type: "integer", minimum: 0 },
              before: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
              order: { type: "string", enum: ["newest", "oldest"] },
              since: { type: "string", maxLength: 40 },
              limit: { type: "integer", minimum: 1, maximum: 10000 },
              caseId: { type: "string", maxLength: 64 },
            },
          },
        },
      },
      async (req) => {
        const q = req.query;
        let sinceTime: string | undefined;
        if (q.since !== undefined) {
          const t = Date.parse(q.since);
          if (Number.isNaN(t))
            throw new LockerError(`--since "${q.since}" is not a date; use ISO 8601, e.g. 2026-11-27T08:00:00Z`, ErrorCode.Locker_InvalidInput, { field: "since" });
          sinceTime = new Date(t).toISOString();
        }
        const filter = {
          ...(q.sinceSeq !== undefined ? { sinceSeq: q.sinceSeq } : {}),
          ...(q.before !== undefined ? { beforeSeq: q.before } : {}),
          ...(sinceTime ? { sinceTime } : {}),
          ...(q.caseId ? { caseId: q.caseId } : {}),
          limit: q.limit ?? 200,
        };
        // Newest first by default: a technician wants the latest refusals and opens, not seq 1.
        // "oldest" reads forward from sinceSeq (a case's story in order, or a follower catching up).
        if (q.order !== "oldest") return auditPage(filter);
        if (q.before !== undefined)
          throw new LockerError("before pages back through the newest-first view; it cannot be combined with order=oldest", ErrorCode.Locker_InvalidInput, { field: "before" });
        const { beforeSeq: _unused, ...forward } = filter as typeof filter & { beforeSeq?: number };
        return locker.audit(forward);
      },
    );

    app.post<{ Body: { file: string; keep?: number } }>(
      "/admin/backup",
      {
        schema: {
          body: {
            type: "object",
            additionalProperties: false,
            required: ["file"],
            properties: { file: { type: "string", minLength: 1, maxLength: 1000 }, keep: { type: "integer", minimum: 1, maximum: 10_000 } },
          },
        },
      },
      async (req) => {
        const r = await deps.backup(req.body.file, req.body.keep);
        locker.recordAudit(TECHNICIAN, "backup", "ok", { detail: { file: r.file, bytes: r.bytes, removed: r.removed.length } });
        return r;
      },
    );
  };
}
