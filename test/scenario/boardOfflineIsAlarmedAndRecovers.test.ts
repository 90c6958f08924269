import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { waitFor } from "../support/waitFor.js";
import { RESIDENT, type Stack, startStack } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

let stack: Stack | undefined;
afterAll(async () => stack?.stopAll());

describe.skipIf(!requireTool("socat", "the scenario tests (real pseudo-terminals)"))("the board going silent", () => {
  it("raises board-offline, refuses drop-offs plainly while offline, and board-online when it answers again", async () => {
    stack = await startStack({ transport: "tcp" });
    const s = stack;
    const alarms = (kind: string) => s.published.filter((e) => e.type === "alarm" && e.kind === kind);
    await s.sim.disconnect();
    await waitFor(() => alarms("board-offline").length === 1, "board-offline alarm", 20_000);
    await expect(
      s.service.startDropoff({ token: s.service.currentDropoffLink().token, matter: "other", phone: "13812345670", pin: "730241", consent: true }, RESIDENT),
    ).rejects.toMatchObject({
      code: ErrorCode.Board_Offline,
      message: expect.stringMatching(/out of service/),
    });
    // nothing was reserved for the refused drop-off
    expect(s.service.compartments().every((c) => c.status === "free")).toBe(true);
    await s.sim.reconnect();
    await waitFor(() => alarms("board-online").length === 1, "board-online alarm", 30_000);
  });
});
