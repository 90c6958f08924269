/**
 * The simulator's control interface for other processes: a small JSON HTTP
 * server on 127.0.0.1 (documented in hardware/SIMULATOR.md).
 *
 *   GET  /state                         boards, channels, latch and door
 *   GET  /frames                        frames received from the host
 *   POST /door      {board,channel,action:"open"|"close"}   open by hand (tamper) / close
 *   POST /item      {board,channel,present}   put something in / take it out by hand
 *   POST /behaviour {board,channel,behaviour?,itemAction?,openAfterMs?,closeAfterMs?,relatchAfterMs?}
 *   POST /fault     {kind,count?,requestKind?,board?,delayMs?,gapMs?,pieces?,bytes?}
 *   POST /push      {board,channel}     send an unsolicited 82 frame
 *   POST /reset                         doors shut, faults and frames cleared
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LockBusSimulator, Fault } from "./LockBusSimulator.js";
import type { ChannelBehaviour } from "./MockLockBoard.js";

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

const num = (b: Body, k: string): number => {
  const v = b[k];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new RangeError(`"${k}" must be an integer`);
  return v;
};

function route(sim: LockBusSimulator, method: string, path: string, body: Body): unknown {
  if (method === "GET" && path === "/state") return { protocol: sim.protocol, boards: [...sim.boards.values()].map((b) => b.snapshot()) };
  if (method === "GET" && path === "/frames") return sim.received;
  if (method === "POST" && path === "/reset") return (sim.reset(), { ok: true });
  if (method === "POST" && path === "/door") {
    const b = sim.board(num(body, "board"));
    if (body.action === "open") b.openDoor(num(body, "channel"));
    else if (body.action === "close") b.closeDoor(num(body, "channel"));
    else throw new RangeError(`"action" must be "open" or "close"`);
    return b.snapshot();
  }
  if (method === "POST" && path === "/item") {
    const b = sim.board(num(body, "board"));
    if (typeof body.present !== "boolean") throw new RangeError(`"present" must be true or false`);
    b.setItem(num(body, "channel"), body.present);
    return b.snapshot();
  }
  if (method === "POST" && path === "/behaviour") {
    const b = sim.board(num(body, "board"));
    const { board: _b, channel: _c, ...rest } = body;
    b.setBehaviour(num(body, "channel"), rest as Partial<ChannelBehaviour>);
    return b.snapshot();
  }
  if (method === "POST" && path === "/fault") {
    if (typeof body.kind !== "string") throw new RangeError(`"kind" is required (noReply, ignore, lateReply, badChecksum, split, garbage, echo)`);
    sim.inject(body as unknown as Fault);
    return { ok: true };
  }
  if (method === "POST" && path === "/push") return (sim.push(num(body, "board"), num(body, "channel")), { ok: true });
  return undefined;
}

/** Serve the control API on 127.0.0.1:`port` (0 = any free port). */
export function startControlServer(sim: LockBusSimulator, port = 0): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", () => {
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      try {
        const body = (text ? JSON.parse(text) : {}) as Body;
        const out = route(sim, req.method ?? "GET", (req.url ?? "/").split("?")[0]!, body);
        if (out === undefined) reply(404, { error: `no route ${req.method} ${req.url}; see hardware/SIMULATOR.md` });
        else reply(200, out);
      } catch (e) {
        reply(400, { error: (e as Error).message });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
