import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { clientRig, type ClientRig } from "../support/harness.js";
import { requireTool } from "../support/tools.js";

const socat = requireTool("socat", "the pseudo-terminal tests");

describe.skipIf(!socat)("replies survive line faults over a real pty", () => {
  let rig: ClientRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  async function withDoor3Open(): Promise<ClientRig> {
    const r = await clientRig("pty");
    r.sim.control.board(1).openDoor(3);
    return r;
  }
  const discards = (r: ClientRig) => {
    const out: string[] = [];
    r.bus.on("frame", (f) => f.dir === "discard" && out.push(f.bytes.toString("hex")));
    return out;
  };

  it("leading garbage is skipped and reported as discarded", async () => {
    rig = await withDoor3Open();
    const seen = discards(rig);
    rig.sim.control.inject({ kind: "garbage", bytes: "fa fd 99 99" });
    const r = await rig.client.queryAll(1, 1);
    expect(r.channels.filter((c) => !c.shut).map((c) => c.channel)).toEqual([3]);
    expect(seen.join("")).toBe("fafd9999");
  });

  it("a reply split into pieces with 40 ms gaps is assembled", async () => {
    rig = await withDoor3Open();
    rig.sim.control.inject({ kind: "split", pieces: 4, gapMs: 40 });
    const r = await rig.client.queryAll(1, 1);
    expect(r.replyHex).toBe("80010000fb3349");
  });

  it("an echo of our own query is not taken as the answer", async () => {
    rig = await withDoor3Open();
    rig.sim.control.inject({ kind: "echo", count: 2 });
    const r = await rig.client.queryAll(1, 1);
    expect(r.channels[2]!.shut).toBe(false);
    const q = await rig.client.query(1, 3, 1);
    expect(q.shut).toBe(false);
  });

  it("an echo of the unlock (same bytes as a refusal) is followed by the real acknowledgement", async () => {
    rig = await clientRig("pty");
    rig.sim.control.inject({ kind: "echo", requestKind: "unlock" });
    expect(await rig.client.unlock(1, 4)).toEqual({ pulses: 1, acknowledged: true });
  });

  it("a bad checksum is discarded; the query is retried and succeeds", async () => {
    rig = await withDoor3Open();
    const seen = discards(rig);
    rig.sim.control.inject({ kind: "badChecksum" });
    const r = await rig.client.queryAll(1, 2);
    expect(r.channels[2]!.shut).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    expect(rig.sim.control.received.filter((f) => f.request.kind === "queryAll")).toHaveLength(2);
  });

  it("a bad checksum with no retry left is a Board_NoReply naming the board", async () => {
    rig = await clientRig("pty");
    rig.sim.control.inject({ kind: "badChecksum" });
    await expect(rig.client.queryAll(1, 1)).rejects.toMatchObject({ code: ErrorCode.Board_NoReply, message: expect.stringMatching(/QUERY-ALL on board 1/) });
  });

  it("a late reply is never read as the answer to the next request", async () => {
    rig = await withDoor3Open();
    // the late reply to query ch3 (open) would wrongly answer the next query of ch3 if it were taken
    rig.sim.control.inject({ kind: "lateReply", delayMs: 330, requestKind: "query" });
    await expect(rig.client.query(1, 3, 1)).rejects.toMatchObject({ code: ErrorCode.Board_NoReply });
    rig.sim.control.board(1).closeDoor(3);
    const late: string[] = [];
    rig.bus.on("unsolicited", (f) => late.push(f.bytes.toString("hex")));
    await new Promise((r) => setTimeout(r, 100));
    const q = await rig.client.query(1, 3, 1);
    expect(q.shut).toBe(true);
  });

  it("an unsolicited 82 push is reported, never taken as a reply", async () => {
    rig = await withDoor3Open();
    const pushes: string[] = [];
    rig.bus.on("unsolicited", (f) => pushes.push(f.kind));
    rig.sim.control.push(1, 3);
    const r = await rig.client.queryAll(1, 1);
    expect(r.channels[2]!.shut).toBe(false);
    await new Promise((r2) => setTimeout(r2, 50));
    expect(pushes).toContain("doorEvent");
  });
});
