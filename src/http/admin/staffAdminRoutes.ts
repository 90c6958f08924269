/**
 * Admin-socket routes for staff codes (ADMIN_API.md, owner D), used by
 * `lockerctl staff add|list|revoke`. The code is returned once, on creation.
 */
import type { FastifyPluginAsync } from "fastify";
import type { StaffStore } from "../staff/StaffStore.js";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";

const TECHNICIAN: Actor = { kind: "technician", id: "lockerctl", via: "admin" };

const member = {
  type: "object",
  additionalProperties: false,
  required: ["id", "name", "createdAt"],
  properties: { id: { type: "string" }, name: { type: "string" }, createdAt: { type: "string" }, revokedAt: { type: "string" } },
} as const;

/** @param deps.locker when given, adding and revoking codes is written to the audit trail. */
export function staffAdminRoutes(deps: { staff: StaffStore; locker?: Pick<LockerApi, "recordAudit"> }): FastifyPluginAsync {
  return async (app) => {
    app.get("/admin/staff", { schema: { response: { 200: { type: "array", items: member } } } }, async () => deps.staff.list());

    app.post<{ Body: { name: string } }>(
      "/admin/staff",
      {
        schema: {
          body: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 40 } } },
          response: {
            200: {
              type: "object",
              additionalProperties: false,
              required: ["id", "name", "code"],
              properties: { id: { type: "string" }, name: { type: "string" }, code: { type: "string" }, createdAt: { type: "string" } },
            },
          },
        },
      },
      async (req) => {
        const m = await deps.staff.add(req.body.name);
        deps.locker?.recordAudit(TECHNICIAN, "staff-add", "ok", { detail: { staffId: m.id, name: m.name } });
        return { id: m.id, name: m.name, code: m.code, createdAt: m.createdAt };
      },
    );

    app.delete<{ Params: { id: string } }>(
      "/admin/staff/:id",
      {
        schema: {
          params: { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string", pattern: "^[0-9a-f]{8}$" } } },
          response: { 200: { type: "object", additionalProperties: false, required: ["id", "revoked"], properties: { id: { type: "string" }, revoked: { type: "boolean" } } } },
        },
      },
      async (req) => {
        const m = deps.staff.revoke(req.params.id);
        deps.locker?.recordAudit(TECHNICIAN, "staff-revoke", "ok", { detail: { staffId: m.id, name: m.name } });
        return { id: req.params.id, revoked: true };
      },
    );
  };
}
