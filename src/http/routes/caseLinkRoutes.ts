/**
 * The resident's case page `/c/<token>` (bookmarkable, see caseLinks.ts) and
 * its JSON `/api/case-link/<token>`: where the case is (已存好 → 办理中 →
 * 可以取了 → 已取走), which door, until when it is held, and which notice the
 * resident gets. Only the masked phone; nothing else personal.
 */
import type { FastifyPluginAsync } from "fastify";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import type { LockerApi } from "../../locker/LockerApi.js";
import { residentNotice } from "../../notify/residentNotice.js";
import type { CaseLinks } from "../caseLinks.js";
import { errorResponse } from "../httpErrors.js";
import { publicFile } from "../staticFiles.js";

export interface CaseLinkRouteDeps {
  config: LockerConfig;
  locker: LockerApi;
  links: CaseLinks;
}

const TOKEN = {
  type: "object",
  additionalProperties: false,
  required: ["token"],
  properties: { token: { type: "string", minLength: 10, maxLength: 120, pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$" } },
} as const;

export const caseLinkSchema = {
  type: "object",
  additionalProperties: false,
  required: ["number", "state", "matter", "matterLabel", "phone", "updatedAt", "notice", "timeZone"],
  properties: {
    number: { type: "string" },
    state: { type: "string" },
    matter: { type: "string" },
    matterLabel: { type: "string" },
    phone: { type: "string", description: "masked, 138****5678" },
    compartment: { type: "integer" },
    updatedAt: { type: "string" },
    readyAt: { type: "string" },
    holdUntil: { type: "string", description: "ISO time until which a ready case is held" },
    notice: { type: "string", description: "which notice the resident gets when it is ready, and how" },
    timeZone: { type: "string", description: "zone to show times in" },
  },
} as const;

export function caseLinkRoutes(deps: CaseLinkRouteDeps): FastifyPluginAsync {
  const { config, locker, links } = deps;
  const labels = new Map(config.matters.map((m) => [m.id, m.label["zh-CN"]]));
  return async (app) => {
    app.get("/c/:token", { schema: { hide: true } }, async (_req, reply) => {
      const page = publicFile("case.html")!;
      return reply.type(page.type).header("cache-control", "no-store").send(page.body);
    });

    app.get<{ Params: { token: string } }>(
      "/api/case-link/:token",
      {
        schema: {
          summary: "Where a case is, for the resident's bookmarked case page (the link given at drop-off)",
          params: TOKEN,
          response: { 200: caseLinkSchema, 400: errorResponse, 404: errorResponse, 429: errorResponse },
        },
      },
      async (req, reply) => {
        const id = links.caseIdOf(req.params.token);
        if (!id) throw new LockerError("这个链接不对，请用存件时得到的链接。This case link is not valid.", ErrorCode.Locker_CaseNotFound);
        const c = locker.caseStatus(id);
        void reply.header("cache-control", "no-store");
        const holdUntil = c.readyAt ? new Date(Date.parse(c.readyAt) + config.rules.holdDays * 86_400_000).toISOString() : undefined;
        return {
          number: c.number,
          state: c.state,
          matter: c.matter,
          matterLabel: labels.get(c.matter) ?? c.matter,
          phone: c.phone,
          ...(c.compartment !== undefined ? { compartment: c.compartment } : {}),
          updatedAt: c.updatedAt,
          ...(c.readyAt ? { readyAt: c.readyAt } : {}),
          ...(holdUntil && c.state === "ready" ? { holdUntil } : {}),
          notice: residentNotice(config, c.phone),
          timeZone: config.timeZone,
        };
      },
    );
  };
}
