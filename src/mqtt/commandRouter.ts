/** Routes signed commands on `cmd/<name>` to the locker or back-office handler and publishes the one answer to each. */
import type Database from "better-sqlite3";
import type { IClientPublishOptions, IPublishPacket } from "mqtt";
import type { Logger } from "pino";
import type { LockerConfig } from "../config/LockerConfig.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { Clock } from "../util/clock.js";
import { BackOfficeHandler, isBackOfficeVerb } from "./backOffice/BackOfficeHandler.js";
import { replyRoute } from "./backOffice/replyRoute.js";
import { CommandHandler } from "./CommandHandler.js";
import { CommandLedger } from "./CommandLedger.js";
import { commandSecretPath, loadCommandSecret } from "./commandSecret.js";
import { RefusalDigest } from "./RefusalDigest.js";
import type { MqttTopics } from "./topics.js";

export interface CommandRouterDeps {
  config: LockerConfig;
  db: Database.Database;
  locker: LockerApi;
  clock: Clock;
  log: Logger;
  topics: MqttTopics;
  /** Publish through the live client (nothing once it is stopped). */
  publish: (topic: string, payload: string, opts: IClientPublishOptions) => Promise<unknown> | undefined;
}

export interface CommandRouter {
  /** The client's `message` listener. */
  onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void;
  /** Stops the refusal digest. */
  stop(): void;
}

/** Loads the command secret (throws when it is missing or weak) and starts the refusal digest. */
export function startCommandRouter(d: CommandRouterDeps): CommandRouter {
  const { config, topics, log } = d;
  const m = config.mqtt;
  const secret = loadCommandSecret(commandSecretPath(config.dataDir, m.commandSecretFile));
  const digest = new RefusalDigest(m.commands.refusalsAuditedPerMinute ?? 30, d.clock, log, (s) =>
    d.locker.recordAudit({ kind: "remote", id: "many", via: "mqtt" }, "mqtt.refused-summary", "refused", {
      reason: `${s.count} more commands refused in the last minute`,
      detail: { ...s },
    }),
  );
  digest.start();
  const handler = new CommandHandler({
    lockerId: config.lockerId,
    secret,
    windowSeconds: m.commands.windowSeconds,
    maxOpensPerHour: m.commands.maxOpensPerHour,
    compartments: config.compartments.map((c) => c.number),
    ledger: new CommandLedger(d.db),
    locker: d.locker,
    clock: d.clock,
    log,
    digest,
  });
  const backOffice = BackOfficeHandler.fromConfig(config, secret, { ledger: new CommandLedger(d.db), locker: d.locker, clock: d.clock, log });
  return {
    onMessage(topic, payload, packet) {
      const name = topics.commandOf(topic);
      if (name === undefined) return;
      if (payload.length === 0) return; // someone clearing a retained command
      const reply = replyRoute(topics, packet); // one answer: cmd-result, or the MQTT 5 response topic under it (+ correlation data)
      const answer = isBackOfficeVerb(name)
        ? backOffice.handle(name, payload, { retained: packet.retain, ...(reply.refusedTopic !== undefined ? { refusedTopic: reply.refusedTopic } : {}) })
        : handler.handle(name, payload, { retained: packet.retain });
      void answer
        .then((result) => d.publish(reply.topic, JSON.stringify(result), { qos: 1, ...(reply.properties ? { properties: reply.properties } : {}) }))
        .catch((err) => log.error({ err }, "command handling failed"));
    },
    stop: () => digest.stop(),
  };
}
