/**
 * The staff API's compartment routes (list, open, disable, enable). Registered
 * inside the signed-in scope of `staffRoutes`, so its session check applies.
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";
import { COMPARTMENT_NUMBER, REASON_MAX_CHARS } from "../../rules/limits.js";
import { errors, ok, opened } from "./staffSchemas.js";

export interface StaffCompartmentRouteDeps {
  locker: LockerApi;
  /** The signed-in staff member acting on this request. */
  actor: (req: FastifyRequest) => Actor;
}

const DOOR_N = {
  type: "object",
  additionalProperties: false,
  required: ["n"],
  properties: { n: { type: "integer", minimum: COMPARTMENT_NUMBER.min, maximum: COMPARTMENT_NUMBER.max } },
} as const;
const REASON = { type: "string", minLength: 2, maxLength: REASON_MAX_CHARS } as const;
const snapshot = {
  type: "object",
  additionalProperties: false,
  required: ["number", "status", "door"],
  properties: {
    number: { type: "integer" },
    size: { type: "string" },
    row: { type: "integer" },
    column: { type: "integer" },
    status: { type: "string" },
    door: { type: "string" },
    caseId: { type: "string" },
    caseNumber: { type: "string" },
    faultReason: { type: "string" },
    /** Something is inside; only from boards with item sensors (Kerong). */
    occupied: { type: "boolean" },
  },
} as const;

export function staffCompartmentRoutes({ locker, actor }: StaffCompartmentRouteDeps): FastifyPluginAsync {
  return async (authed) => {
    authed.get("/api/staff/compartments", { schema: { summary: "Every compartment", response: { 200: { type: "array", items: snapshot }, ...errors } } }, async () =>
      locker.compartments(),
    );

    authed.post<{ Params: { n: number }; Body: { reason: string } }>(
      "/api/staff/compartments/:n/open",
      {
        schema: {
          summary: "Open a compartment, with a reason for the audit log",
          params: DOOR_N,
          body: { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: REASON } },
          response: { 200: opened, ...errors },
        },
      },
      async (req) => locker.staffOpen(req.params.n, req.body.reason, actor(req)),
    );

    authed.post<{ Params: { n: number }; Body: { reason: string } }>(
      "/api/staff/compartments/:n/disable",
      {
        schema: {
          summary: "Take a compartment out of use",
          params: DOOR_N,
          body: { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: REASON } },
          response: { 200: ok, ...errors },
        },
      },
      async (req) => {
        locker.disable(req.params.n, req.body.reason, actor(req));
        return { ok: true };
      },
    );

    authed.post<{ Params: { n: number } }>(
      "/api/staff/compartments/:n/enable",
      {
        schema: {
          summary: "Put a compartment back in use",
          params: DOOR_N,
          body: { type: "object", additionalProperties: false, properties: { reason: REASON } },
          response: { 200: ok, ...errors },
        },
      },
      async (req) => {
        locker.enable(req.params.n, actor(req));
        return { ok: true };
      },
    );
  };
}
