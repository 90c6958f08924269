/**
 * Admin-socket routes of the notification channels (issue 13):
 * `GET /admin/notify` (each channel's cursor, backlog, last error) and
 * `POST /admin/notify/:id/test` (send a test message, answer what the service said),
 * for `lockerctl notify status|test`.
 */
import type { FastifyPluginAsync } from "fastify";
import type { NotifyService } from "../../notify/NotifyService.js";

export function notifyAdminRoutes(deps: { notify: Pick<NotifyService, "status" | "test"> }): FastifyPluginAsync {
  return async (app) => {
    app.get("/admin/notify", async () => deps.notify.status());
    app.post<{ Params: { id: string } }>(
      "/admin/notify/:id/test",
      { schema: { params: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1, maxLength: 32 } } } } },
      async (req) => deps.notify.test(req.params.id),
    );
  };
}
