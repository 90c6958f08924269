/**
 * The locker's MQTT edge: one client (id = locker id) that keeps `status`
 * and `compartments` retained, relays the outbox to `events/<type>`, and
 * answers signed commands on `cmd/<name>` with `cmd-result`.
 * Lifecycle as a module: the constructor only validates; `start()` connects
 * (never fails because the broker is down: it keeps retrying with backoff);
 * `stop()` publishes offline and disconnects.
 */
import type Database from "better-sqlite3";
import type { IClientOptions, MqttClient } from "mqtt";
import type { Logger } from "pino";
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { CompartmentSnapshot, DomainEvents, LockerEvent, OutboxEntry, OutboxReader } from "../locker/events.js";
import type { DeadLetter } from "../store/Outbox.js";
import type { Clock } from "../util/clock.js";
import { BacklogAlarm } from "./BacklogAlarm.js";
import { startCommandRouter, type CommandRouter } from "./commandRouter.js";
import { waitForConnect } from "./waitForConnect.js";
import { embeddedAcl } from "./embeddedCredentials.js";
import type { EmbeddedBroker } from "./embeddedBroker.js";
import { OutboxRelay, PoisonEntryError, type DeadLetterStore } from "./OutboxRelay.js";
import { hasLocalAddress, NetworkWatch } from "./NetworkWatch.js";
import { MAX_EVENT_BYTES, mqttClientOptions, noDelay, redact } from "./mqttClientOptions.js";
import { MqttTopics, type CompartmentsPayload, type StatusPayload } from "./topics.js";
import { validateMqttConfig } from "./validateMqttConfig.js";
import { withTimeout } from "./withTimeout.js";
import { HomeAssistantDiscovery } from "./homeAssistant/HomeAssistantDiscovery.js";

export interface MqttServiceDeps {
  config: LockerConfig;
  /** lockerd version, published in `status`. */
  version: string;
  events: DomainEvents;
  outbox: OutboxReader & Partial<DeadLetterStore> & { deadCount?(): number; deadLetters?(limit?: number): DeadLetter[] };
  locker: LockerApi;
  /** The daemon's database (migration 002 applied): remembers command ids. */
  db: Database.Database;
  log: Logger;
  clock: Clock;
}

/** What `/admin/mqtt`, `/readyz` and lockerctl show. */
export interface MqttStatus {
  connected: boolean;
  /** Broker URL without credentials; "off" when MQTT is disabled. */
  url: string;
  outboxDepth: number;
  /** ISO time of the last event the broker acknowledged, or null. */
  lastPublishAt: string | null;
  /** True while the outbox holds more than `mqtt.backlogAlarm` events. */
  backlogAlarm: boolean;
  /** Events set aside because they could never be published (kept in the outbox, see MQTT_CONTRACT). */
  deadLetters?: number;
  /** The newest few dead letters, with why. */
  recentDeadLetters?: DeadLetter[];
}

export class MqttService {
  readonly topics: MqttTopics;
  private client?: MqttClient;
  private broker?: EmbeddedBroker;
  private relay?: OutboxRelay;
  private url = "off";
  private connected = false;
  private lastPublishAt: string | null = null;
  private backlog?: BacklogAlarm;
  private homeAssistant?: HomeAssistantDiscovery;
  private backoffMs: number;
  private commands?: CommandRouter;
  /** The locker's own credentials on the embedded broker. */
  private embeddedLogin?: { username: string; password: string };
  private network?: NetworkWatch;
  private readonly log: Logger;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly d: MqttServiceDeps) {
    const errs = validateMqttConfig(d.config);
    if (errs.length) throw new LockerError(`invalid MQTT config:\n  ${errs.join("\n  ")}`, ErrorCode.Config_Invalid, { errors: errs });
    this.topics = new MqttTopics(d.config.mqtt.prefix, d.config.lockerId);
    this.log = d.log.child({ ns: "mqtt" });
    this.backoffMs = d.config.mqtt.reconnectPeriodMs;
  }

  /** Connect (starting the embedded broker first when `mqtt.url` is "embedded"). */
  async start(): Promise<void> {
    const { config, events, outbox } = this.d;
    const m = config.mqtt;
    if (m.url === "off") {
      this.log.info("MQTT is off (mqtt.url = off): events stay in the outbox");
      return;
    }
    const commands = startCommandRouter({
      config,
      db: this.d.db,
      locker: this.d.locker,
      clock: this.d.clock,
      log: this.log,
      topics: this.topics,
      publish: (t, p, o) => this.client?.publishAsync(t, p, o),
    });
    this.commands = commands;
    let protocolVersion: 4 | 5 = m.protocolVersion;
    let url = m.url;
    if (url === "embedded") {
      // aedes is loaded only when this locker runs its own broker (demo, single-locker site).
      const { startEmbeddedBroker } = await import("./embeddedBroker.js");
      const acl = embeddedAcl(config, this.topics.base);
      this.embeddedLogin = { username: config.lockerId, password: acl.lockerPassword };
      this.broker = await startEmbeddedBroker({ host: m.embeddedHost, port: m.embeddedPort, log: this.d.log, acl });
      url = this.broker.url;
      protocolVersion = 4; // aedes speaks MQTT 3.1.1 only
    }
    this.url = redact(url);
    this.backlog = new BacklogAlarm({
      limit: m.backlogAlarm,
      lockerId: config.lockerId,
      locker: this.d.locker,
      clock: this.d.clock,
      log: this.log,
      publish: async (e) => void (await this.client?.publishAsync(this.topics.event("alarm"), JSON.stringify(e), { qos: 1 })),
    });
    this.relay = new OutboxRelay({
      outbox,
      connected: () => this.connected,
      publish: (e) => this.publishEvent(e),
      log: this.log,
      onDepth: (n) => this.backlog?.check(n, this.connected),
    });
    this.homeAssistant = HomeAssistantDiscovery.fromConfig(config, this.d.version, this.topics, this.log);
    // Loaded here, not with this module: ~110 ms of CPU here, spent after the daemon's READY (Daemon.ts).
    const { default: mqtt } = await import("mqtt");
    const client = mqtt.connect(url, this.clientOptions(protocolVersion));
    this.client = client;
    this.network = new NetworkWatch(() => this.networkChanged());
    this.network.start();
    client.on("connect", () => void this.onConnect());
    client.on("close", () => this.onClose());
    client.on("error", (err) => this.log.warn({ err: err.message, url: this.url }, "MQTT error"));
    client.on("message", (topic, payload, packet) => commands.onMessage(topic, payload, packet));
    const on = <K extends "outboxAppended" | "compartmentsChanged" | "alarmUnrecorded">(ev: K, fn: (...a: never[]) => void) => {
      events.on(ev, fn as never);
      this.unsubscribe.push(() => events.off(ev, fn as never));
    };
    on("outboxAppended", () => {
      this.relay?.wake();
      // Also here, not only after a drain: a drain can sit waiting for acks while the link is down.
      if (!this.connected || this.backlog?.raised) this.backlog?.check(this.status().outboxDepth, this.connected);
    });
    on("compartmentsChanged", (snap: CompartmentSnapshot[]) => void this.publishCompartments(snap));
    // An alarm the outbox could not take (the disk refuses writes): straight to staff while connected.
    on("alarmUnrecorded", (e: LockerEvent) => this.connected && void this.client?.publishAsync(this.topics.event("alarm"), JSON.stringify(e), { qos: 1 }).catch(() => {}));
    this.log.info({ url: this.url, clientId: config.lockerId, protocolVersion }, "MQTT connecting");
  }

  /** Resolves once connected (or rejects after `timeoutMs`); for the daemon's start-up report and tests. */
  async whenConnected(timeoutMs: number): Promise<void> {
    if (this.connected) return;
    const client = this.client;
    if (!client) throw new LockerError("MQTT is not started", ErrorCode.Config_Invalid);
    await waitForConnect(client, this.url, timeoutMs);
  }

  /**
   * The machine's addresses changed: retry now rather than after the backoff, and
   * drop a connection whose local address is gone (it can only be half-open).
   */
  networkChanged(): void {
    const client = this.client;
    if (!client) return;
    this.backoffMs = this.d.config.mqtt.reconnectPeriodMs;
    client.options.reconnectPeriod = this.backoffMs;
    const local = (client.stream as { localAddress?: string } | undefined)?.localAddress;
    if (this.connected && hasLocalAddress(local)) return;
    this.log.info({ connected: this.connected }, "network changed: reconnecting to the broker now");
    if (this.connected) (client.stream as { destroy?: () => void } | undefined)?.destroy?.();
    else client.reconnect();
  }

  /** Publish offline (retained), disconnect, stop the embedded broker. */
  async stop(): Promise<void> {
    this.network?.stop();
    for (const off of this.unsubscribe.splice(0)) off();
    this.relay?.stop();
    this.commands?.stop();
    const client = this.client;
    this.client = undefined;
    if (client) {
      if (this.connected) {
        const offline: StatusPayload = { ...this.statusBase("offline"), reason: "stopped" };
        await withTimeout(client.publishAsync(this.topics.status, JSON.stringify(offline), { qos: 1, retain: true }), 2000).catch((err) =>
          this.log.warn({ err }, "could not publish offline before stopping"),
        );
      }
      await withTimeout(client.endAsync(), 2000).catch(() => client.end(true));
    }
    this.connected = false;
    await this.broker?.stop();
    this.broker = undefined;
  }

  status(): MqttStatus {
    let depth = -1;
    try {
      depth = this.d.outbox.depth();
    } catch {
      // store closed; still answer
    }
    let dead: Pick<MqttStatus, "deadLetters" | "recentDeadLetters"> = {};
    try {
      if (this.d.outbox.deadCount && this.d.outbox.deadLetters) dead = { deadLetters: this.d.outbox.deadCount(), recentDeadLetters: this.d.outbox.deadLetters(5) };
    } catch {
      // store closed; still answer
    }
    return {
      connected: this.connected,
      url: this.d.config.mqtt.url === "off" ? "off" : this.url,
      outboxDepth: depth,
      lastPublishAt: this.lastPublishAt,
      backlogAlarm: this.backlog?.raised ?? false,
      ...dead,
    };
  }

  private clientOptions(protocolVersion: 4 | 5): IClientOptions {
    const options = mqttClientOptions(this.d.config, this.d.version, this.topics.status, protocolVersion);
    // On the embedded broker the locker signs in with the credentials it generated at first start.
    return this.embeddedLogin ? { ...options, username: this.embeddedLogin.username, password: this.embeddedLogin.password } : options;
  }

  private async onConnect(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.connected = true;
    noDelay(client);
    this.backoffMs = this.d.config.mqtt.reconnectPeriodMs;
    client.options.reconnectPeriod = this.backoffMs;
    this.log.info({ url: this.url }, "MQTT connected");
    try {
      await client.publishAsync(this.topics.status, JSON.stringify(this.statusBase("online")), { qos: 1, retain: true });
      // MQTT 5: rh 2 = the broker never sends us a stored (retained) command at subscribe time, and
      // rap = a command published with retain keeps the flag on live delivery, so CommandHandler refuses
      // it too. On 3.1.1 the broker clears the flag live but sets it on the subscribe-time replay,
      // which is refused; the single-use id and the ts window stop any later replay (MQTT_CONTRACT.md).
      const v5 = client.options.protocolVersion === 5;
      await client.subscribeAsync(this.topics.cmdFilter, v5 ? { qos: 1, rh: 2, rap: true } : { qos: 1 });
      await this.publishCompartments(this.d.locker.compartments());
      await this.homeAssistant?.sync((t, p, o) => client.publishAsync(t, p, o));
    } catch (err) {
      this.log.warn({ err }, "MQTT session set-up failed; will redo on reconnect");
    }
    // Tell staff about a backlog before it drains (draining may clear it at once).
    this.backlog?.reconnected();
    this.backlog?.check(this.status().outboxDepth, this.connected);
    this.relay?.wake();
  }

  private onClose(): void {
    const client = this.client;
    const was = this.connected;
    this.connected = false;
    if (!client) return; // stopping
    if (was) this.log.warn({ url: this.url }, "MQTT connection lost; events wait in the outbox");
    // Exponential backoff: mqtt.js reads reconnectPeriod each time it arms the timer, and has
    // already armed this one when "close" reaches us, so set the wait for the next attempt.
    this.backoffMs = Math.min(this.backoffMs * 2, this.d.config.mqtt.reconnectMaxMs);
    client.options.reconnectPeriod = this.backoffMs;
  }

  private async publishEvent(entry: OutboxEntry): Promise<void> {
    const client = this.client;
    if (!client) throw new Error("MQTT stopped");
    // A type that is not one topic level, or a payload no broker takes, fails the same way every time.
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(entry.event.type)) throw new PoisonEntryError(`event type ${JSON.stringify(entry.event.type).slice(0, 60)} cannot be a topic level`);
    const payload = JSON.stringify(entry.event);
    if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) throw new PoisonEntryError(`event is ${Buffer.byteLength(payload)} bytes; the limit is ${MAX_EVENT_BYTES}`);
    await client.publishAsync(this.topics.event(entry.event.type as LockerEvent["type"]), payload, { qos: 1 });
    this.lastPublishAt = new Date(this.d.clock.wallMs()).toISOString();
  }

  private async publishCompartments(compartments: CompartmentSnapshot[]): Promise<void> {
    if (!this.connected || !this.client) return; // published afresh on connect
    const payload: CompartmentsPayload = { lockerId: this.d.config.lockerId, time: this.nowIso(), compartments };
    await this.client
      .publishAsync(this.topics.compartments, JSON.stringify(payload), { qos: 1, retain: true })
      .catch((err) => this.log.warn({ err }, "compartments publish failed"));
  }

  private statusBase(state: "online" | "offline"): StatusPayload {
    return { state, lockerId: this.d.config.lockerId, version: this.d.version, time: this.nowIso() };
  }

  private nowIso(): string {
    return new Date(this.d.clock.wallMs()).toISOString();
  }
}
