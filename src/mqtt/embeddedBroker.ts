/**
 * The embedded broker (aedes) for the demo and a single-locker site: plain
 * MQTT 3.1.1 on a local address so `mosquitto_sub -h 127.0.0.1 -t 'lockers/#' -v`
 * shows the alerts. It keeps retained messages and last wills in memory only.
 */
import net from "node:net";
import { Aedes } from "aedes";
import type { Logger } from "pino";

export interface EmbeddedBroker {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** `mqtt://host:port` to connect to it. */
  url: string;
  /** Close every client connection and the listener. */
  stop(): Promise<void>;
}

/** Start aedes on `host:port` (port 0 = any free port). */
export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger }): Promise<EmbeddedBroker> {
  const log = opts.log.child({ ns: "mqtt-broker" });
  const broker = await Aedes.createBroker({ heartbeatInterval: 60_000, drainTimeout: 10_000 });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    // Small QoS 1 frames: Nagle would add up to 40 ms per event.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  broker.on("clientError", (client, err) => log.debug({ client: client?.id, err: err.message }, "client error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `mqtt://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`;
  log.info({ url }, "embedded MQTT broker listening");
  return {
    port,
    url,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
