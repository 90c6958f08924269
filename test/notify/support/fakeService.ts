/**
 * A local HTTP server that answers like a notification service (WeCom or
 * DingTalk robot, a back office): each request is recorded with its URL,
 * headers and body, and answered by the next scripted answer (or the default).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  /** performance.now() when it arrived. */
  at: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Hold the answer this long (a service that times out). */
  delayMs?: number;
}

export interface FakeService {
  url: string;
  port: number;
  received: Received[];
  /** Answers used in order, then `fallback`. */
  script: Reply[];
  fallback: Reply;
  waitFor(pred: (r: Received[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Stop listening (connections refused), like a back office that is down. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export const OK_ERRCODE: Reply = { status: 200, body: { errcode: 0, errmsg: "ok" } };

export async function startFakeService(fallback: Reply = OK_ERRCODE, path = "/hook"): Promise<FakeService> {
  const received: Received[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const svc: FakeService = {
    url: "",
    port: 0,
    received,
    script: [],
    fallback,
    async waitFor(pred, what, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; got ${received.length} requests`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async down() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
    async up() {
      await new Promise<void>((r, j) => server.once("error", j).listen(svc.port, "127.0.0.1", () => r()));
    },
    async close() {
      if (!server.listening) return;
      await svc.down();
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      received.push({ url: req.url ?? "", headers: req.headers, body, json, at: performance.now() });
      const reply = svc.script.shift() ?? svc.fallback;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  svc.port = (server.address() as AddressInfo).port;
  svc.url = `http://127.0.0.1:${svc.port}${path}`;
  return svc;
}
