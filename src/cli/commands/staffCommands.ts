import type { Command } from "commander";
import { daemon, globals, runAction } from "../CliContext.js";
import { formatTable, printJson, writeOut } from "../output.js";
import type { StaffMember } from "../../http/staff/StaffStore.js";

/** staff add|list|revoke: manage staff sign-in codes over the admin socket. Owned by D. */
export function registerStaffCommands(program: Command): void {
  const staff = program.command("staff").description("manage staff sign-in codes (staff page and kiosk staff mode)");

  staff
    .command("add <name>")
    .description("create a staff code; the code is shown once, write it down and hand it over")
    .action(async (name: string, _opts, cmd: Command) =>
      runAction(cmd, async () => {
        const r = await daemon(cmd).request<{ id: string; name: string; code: string }>("POST", "/admin/staff", { name });
        if (globals(cmd).json) printJson(r);
        else writeOut(`staff ${r.name} (id ${r.id}) code: ${r.code}\nThe code is not stored in clear and cannot be shown again.\n`);
      }),
    );

  staff
    .command("list")
    .description("list staff members (codes are never shown)")
    .action(async (_opts, cmd: Command) =>
      runAction(cmd, async () => {
        const rows = await daemon(cmd).request<StaffMember[]>("GET", "/admin/staff");
        if (globals(cmd).json) printJson(rows);
        else
          writeOut(
            formatTable(rows, [
              { header: "ID", value: (r) => r.id },
              { header: "NAME", value: (r) => r.name },
              { header: "CREATED", value: (r) => r.createdAt },
              { header: "REVOKED", value: (r) => r.revokedAt ?? "" },
            ]) + "\n",
          );
      }),
    );

  staff
    .command("revoke <id>")
    .description("revoke a staff code; its sessions end at once")
    .action(async (id: string, _opts, cmd: Command) =>
      runAction(cmd, async () => {
        const r = await daemon(cmd).request<{ id: string; revoked: boolean }>("DELETE", `/admin/staff/${encodeURIComponent(id)}`);
        if (globals(cmd).json) printJson(r);
        else writeOut(`staff ${r.id} revoked\n`);
      }),
    );
}
