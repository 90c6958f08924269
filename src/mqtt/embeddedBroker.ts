/**
 * The embedded broker (aedes) for the demo and a single-locker site: plain
 * MQTT 3.1.1 on a local address so `mosquitto_sub -h 127.0.0.1 -t 'lockers/#' -v`
 * shows the alerts. It keeps retained messages and last wills in memory only.
 * Authentication and topic rights are BrokerAcl's: only the locker publishes
 * its state and events, only command users send commands, and nobody else
 * may connect with the locker's client id.
 */
import net from "node:net";
import { Aedes, type AedesOptions, type Client } from "aedes";
import type { Logger } from "pino";
import { systemClock } from "../util/clock.js";
import { BrokerAcl, type BrokerAclOptions, type BrokerRights } from "./BrokerAcl.js";
import { RefusalDigest } from "./RefusalDigest.js";

export interface EmbeddedBroker {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** `mqtt://host:port` to connect to it. */
  url: string;
  /** Close every client connection and the listener. */
  stop(): Promise<void>;
}

/**
 * Start aedes on `host:port` (port 0 = any free port). `acl: "open"` (no
 * authentication at all) is only for benchmarks that use it as a stand-in
 * site broker; the daemon always passes its BrokerAcl options.
 */
export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger; acl: BrokerAclOptions | "open" }): Promise<EmbeddedBroker> {
  const log = opts.log.child({ ns: "mqtt-broker" });
  const broker = await Aedes.createBroker({
    heartbeatInterval: 60_000,
    drainTimeout: 10_000,
    ...(opts.acl === "open" ? {} : guarded(opts.acl, log)),
  });
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

/** aedes hooks enforcing BrokerAcl. */
function guarded(options: BrokerAclOptions, log: Logger): Pick<AedesOptions, "authenticate" | "authorizePublish" | "authorizeForward"> {
  const acl = new BrokerAcl(options);
  const rights = new WeakMap<Client, BrokerRights>();
  // A flood of refused connections or publishes is counted and summarised in the log, not written line by line.
  const digest = new RefusalDigest(30, systemClock, log, () => {});
  digest.start();
  return {
    authenticate(client, username, password, done) {
      const r = acl.authenticate(client.id, username, password);
      if (r.ok) {
        rights.set(client, r.rights);
        return done(null, true);
      }
      if (digest.admit("connect")) log.warn({ client: client.id.slice(0, 64), user: username?.slice(0, 64), why: r.why }, "MQTT connection refused");
      done(Object.assign(new Error(r.why), { returnCode: r.returnCode }), false);
    },
    authorizePublish(client, packet, done) {
      // client is null for messages the broker itself publishes ($SYS).
      if (!client) return done(null);
      const who = rights.get(client);
      if (who && acl.mayPublish(who, packet.topic)) return done(null);
      if (digest.admit("publish")) log.warn({ client: client.id.slice(0, 64), topic: packet.topic.slice(0, 200) }, "MQTT publish refused (not allowed for this client)");
      done(new Error("not authorised to publish on this topic"));
    },
    authorizeForward(client, packet) {
      const who = rights.get(client);
      return who && acl.mayReceive(who, packet.topic) ? packet : null;
    },
  };
}
