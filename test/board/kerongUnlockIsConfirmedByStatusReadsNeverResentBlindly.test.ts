/**
 * Kerong boards never answer an unlock (reference B.4): over a real pty the
 * pulse is confirmed by status reads, a second pulse goes out only after a
 * read showed the lock still shut, and a board that stops answering gets no
 * second pulse. The lock-bit polarity is the per-board feedback setting.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BoardBus } from "../../src/board/BoardBus.js";
import { BoardClient } from "../../src/board/BoardClient.js";
import { createTransport } from "../../src/board/createTransport.js";
import { CodecKerong } from "../../src/protocol/CodecKerong.js";
import { ErrorCode, isLockerError } from "../../src/errors/LockerError.js";
import type { FeedbackPolarity } from "../../src/config/LockerConfig.js";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { haveSocat, testBus } from "./helpers.js";

interface Rig {
  sim: RunningSimulator;
  client: BoardClient;
  close(): Promise<void>;
}

async function kerongRig(feedback: FeedbackPolarity = "closedWhenLocked"): Promise<Rig> {
  const sim = await startSimulator({ transport: "pty", protocol: "kerong", boards: [{ address: 0, feedback }] });
  const base = testBus(sim.transport, { unlockVerifyMs: 400, queryReplyMs: 150 });
  const cfg = { ...base, protocol: "kerong" as const, baudRate: 19200, boards: [{ ...base.boards[0]!, address: 0, feedback }] };
  const t = createTransport(cfg);
  await t.open();
  const bus = new BoardBus(t, CodecKerong, cfg.timeouts);
  return {
    sim,
    client: new BoardClient(bus, CodecKerong, cfg.boards, cfg),
    async close() {
      await bus.close();
      await sim.stop();
    },
  };
}
const sent = (r: Rig) => r.sim.control.received.map((f) => (f.request.kind === "unlock" ? `pulse ${f.hex}` : "status"));

describe.skipIf(!haveSocat())("a Kerong unlock over a real pty", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it("one pulse, confirmed released by a status read", async () => {
    rig = await kerongRig();
    rig.sim.control.board(0).setBehaviour(6, { behaviour: "walkAway", relatchAfterMs: 60_000 });
    expect(await rig.client.unlock(0, 6)).toEqual({ pulses: 1, acknowledged: false });
    expect(sent(rig)).toEqual(["pulse 020531033b", "status"]);
  });

  it("pulse lost on the line: reads show it still shut for unlockVerifyMs, then exactly one more pulse", async () => {
    rig = await kerongRig();
    rig.sim.control.board(0).setBehaviour(1, { behaviour: "walkAway", relatchAfterMs: 60_000 });
    rig.sim.control.inject({ kind: "ignore", requestKind: "unlock" });
    expect(await rig.client.unlock(0, 1)).toEqual({ pulses: 2, acknowledged: false });
    const s = sent(rig);
    expect(s.filter((x) => x.startsWith("pulse"))).toEqual(["pulse 0200310336", "pulse 0200310336"]);
    expect(s[1]).toBe("status"); // read before the second pulse, never blind
    expect(s.at(-1)).toBe("status");
  });

  it("jammed: two pulses at most, each after reads showed it shut, then Board_LockFault", async () => {
    rig = await kerongRig();
    rig.sim.control.board(0).setBehaviour(2, { behaviour: "jammed" });
    const err = await rig.client.unlock(0, 2).catch((e: unknown) => e);
    expect(isLockerError(err, ErrorCode.Board_LockFault)).toBe(true);
    expect(sent(rig).filter((x) => x.startsWith("pulse"))).toHaveLength(2);
  });

  it("the board stops answering after the pulse: outcome unknown, Board_NoReply, no second pulse", async () => {
    rig = await kerongRig();
    rig.sim.control.inject({ kind: "ignore", requestKind: "queryAll", count: 1000 });
    const err = await rig.client.unlock(0, 3).catch((e: unknown) => e);
    expect(isLockerError(err, ErrorCode.Board_NoReply)).toBe(true);
    expect(sent(rig).filter((x) => x.startsWith("pulse"))).toEqual(["pulse 0202310338"]);
  });

  it("lock-bit polarity per board: with closedWhenUnlocked a set bit reads released", async () => {
    rig = await kerongRig("closedWhenUnlocked");
    const r = await rig.client.queryAll(0);
    expect(r.replyHex).toBe("02003500000000033a"); // every lock shut: every hook bit clear on this wiring
    expect(r.channels.every((c) => c.shut && c.item === false)).toBe(true);
    rig.sim.control.board(0).setBehaviour(4, { behaviour: "walkAway", relatchAfterMs: 60_000 });
    expect(await rig.client.unlock(0, 4)).toEqual({ pulses: 1, acknowledged: false });
    expect((await rig.client.query(0, 4)).shut).toBe(false);
  });
});
