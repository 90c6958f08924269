import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../hardware/simulator/startSimulator.js";
import { createTransport } from "../../src/board/createTransport.js";
import { BoardBus } from "../../src/board/BoardBus.js";
import { BoardClient } from "../../src/board/BoardClient.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";
import { testBus } from "../support/harness.js";

describe("the simulator's HTTP control interface drives doors and faults from another process", () => {
  let sim: RunningSimulator;
  let bus: BoardBus;
  let client: BoardClient;
  const post = (path: string, body: unknown) => fetch(`${sim.controlUrl}${path}`, { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    sim = await startSimulator({ transport: "tcp", boards: [{ address: 1 }], pulseMs: 20, controlPort: 0 });
    const cfg = testBus(sim.transport, { unlockReplyMs: 300 });
    const t = createTransport(cfg);
    await t.open();
    bus = new BoardBus(t, Codec8A80, cfg.timeouts);
    client = new BoardClient(bus, Codec8A80, cfg.boards, cfg);
  });
  afterAll(async () => {
    await bus.close();
    await sim.stop();
  });

  it("opens and closes a door by hand", async () => {
    expect((await post("/door", { board: 1, channel: 4, action: "open" })).status).toBe(200);
    expect((await client.queryAll(1)).channels[3]!.shut).toBe(false);
    await post("/door", { board: 1, channel: 4, action: "close" });
    expect((await client.queryAll(1)).channels[3]!.shut).toBe(true);
  });

  it("sets a behaviour and injects a fault; /frames shows what the board received", async () => {
    await post("/reset", {});
    await post("/behaviour", { board: 1, channel: 2, behaviour: "jammed" });
    await expect(client.unlock(1, 2)).rejects.toMatchObject({ code: 204 });
    await post("/fault", { kind: "noReply", requestKind: "query" });
    await expect(client.query(1, 1, 1)).rejects.toMatchObject({ code: 200 });
    const frames = (await (await fetch(`${sim.controlUrl}/frames`)).json()) as { hex: string }[];
    expect(frames.map((f) => f.hex)).toEqual(["8a01021198", "80010233b0", "8a01021198", "80010233b0", "80010133b3"]);
    const state = (await (await fetch(`${sim.controlUrl}/state`)).json()) as { boards: { channels: { behaviour: string }[] }[] };
    expect(state.boards[0]!.channels[1]!.behaviour).toBe("jammed");
  });

  it("answers bad requests with a 400 and a message", async () => {
    const r = await post("/door", { board: 1, channel: 4, action: "wiggle" });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/"action" must be "open" or "close"/);
    expect((await fetch(`${sim.controlUrl}/nope`)).status).toBe(404);
  });
});
