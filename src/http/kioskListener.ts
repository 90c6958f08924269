/**
 * The locker screen's own listener. The drop-off QR is the proof that a
 * resident stands at the locker, and the keypad pickup must only be reachable
 * from the locker's screen, so the screen needs an identity no one else can
 * have. "The peer is 127.0.0.1" is not one: a reverse proxy or tunnel on the
 * same machine connects from 127.0.0.1 for every phone on the internet. The
 * identity is therefore the listener itself: a second HTTP server on
 * 127.0.0.1:`http.kioskPort` that no proxy forwards, feeding the same fastify
 * app; requests that arrive through it carry a mark the public listener can
 * never set (a symbol on the Node request object, not a header).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance, FastifyRequest } from "fastify";

const KIOSK_LISTENER = Symbol("lockerd.kioskListener");

type Marked = http.IncomingMessage & { [KIOSK_LISTENER]?: true };

/** True when the request came in on the kiosk listener (the locker's own screen). */
export function fromLockerScreen(req: FastifyRequest): boolean {
  return (req.raw as Marked)[KIOSK_LISTENER] === true;
}

export interface KioskListener {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Loopback only, never configurable: a kiosk listener on a network address would hand the QR to anyone. */
export const KIOSK_HOST = "127.0.0.1";

/**
 * Serve `app` (ready, not necessarily listening) on 127.0.0.1:`port` (0 = any
 * free port) with every request marked as the locker screen's.
 */
export async function startKioskListener(app: FastifyInstance, port: number): Promise<KioskListener> {
  await app.ready();
  const server = http.createServer((req, res) => {
    (req as Marked)[KIOSK_LISTENER] = true;
    app.routing(req, res);
  });
  // Same limits as the public listener's (buildPublicApp), except that the live stream stays open.
  server.requestTimeout = 30_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, KIOSK_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${KIOSK_HOST}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
