import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, isLockerError } from "../../src/errors/LockerError.js";
import { clientRig, type ClientRig } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const socat = requireTool("socat", "the pseudo-terminal tests");

const unlockFrames = (rig: ClientRig) => rig.sim.control.received.filter((f) => f.request.kind === "unlock").length;

describe.skipIf(!socat)("an unlock over a real pty is never re-sent blindly", () => {
  let rig: ClientRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it("no reply at all: the error names board and channel, and exactly one pulse went out", async () => {
    rig = await clientRig("pty", {}, { unlockReplyMs: 400 });
    rig.sim.control.inject({ kind: "noReply", count: 20 });
    const err = await rig.client.unlock(1, 3).catch((e: unknown) => e);
    expect(isLockerError(err, ErrorCode.Board_NoReply)).toBe(true);
    expect((err as Error).message).toMatch(/ch3 on board 1/);
    expect(unlockFrames(rig)).toBe(1);
  });

  it("reply lost but the pulse fired: a query reads it released, no second pulse", async () => {
    rig = await clientRig("pty", {}, { unlockReplyMs: 400 });
    rig.sim.control.inject({ kind: "noReply", requestKind: "unlock" });
    const r = await rig.client.unlock(1, 3);
    expect(r).toEqual({ pulses: 1, acknowledged: false });
    expect(unlockFrames(rig)).toBe(1);
    const kinds = rig.sim.control.received.map((f) => f.request.kind);
    expect(kinds).toEqual(["unlock", "query"]);
  });

  it("command lost on the line: the query reads it still shut, so one second pulse", async () => {
    rig = await clientRig("pty", {}, { unlockReplyMs: 400 });
    rig.sim.control.inject({ kind: "ignore", requestKind: "unlock" });
    const r = await rig.client.unlock(1, 3);
    expect(r).toEqual({ pulses: 2, acknowledged: true });
    expect(rig.sim.control.received.map((f) => f.request.kind)).toEqual(["unlock", "query", "unlock"]);
  });

  it("jammed lock: two pulses at most, each after a query showed it shut, then Board_LockFault", async () => {
    rig = await clientRig("pty", {}, { unlockReplyMs: 400 });
    rig.sim.control.board(1).setBehaviour(2, { behaviour: "jammed" });
    const err = await rig.client.unlock(1, 2).catch((e: unknown) => e);
    expect(isLockerError(err, ErrorCode.Board_LockFault)).toBe(true);
    expect((err as Error).message).toMatch(/ch2 on board 1 did not release after 2 pulse/);
    expect(rig.sim.control.received.map((f) => f.request.kind)).toEqual(["unlock", "query", "unlock", "query"]);
  });

  it("with attempts.unlock = 1 a jammed lock gets exactly one pulse", async () => {
    rig = await clientRig("pty", {}, { unlockReplyMs: 400 });
    (rig.client as unknown as { timing: { attempts: { unlock: number } } }).timing.attempts.unlock = 1;
    rig.sim.control.board(1).setBehaviour(2, { behaviour: "jammed" });
    await expect(rig.client.unlock(1, 2)).rejects.toMatchObject({ code: ErrorCode.Board_LockFault });
    expect(unlockFrames(rig)).toBe(1);
  });
});
