/**
 * Keeps the broker's retained Home Assistant discovery configs in step with
 * `mqtt.homeAssistant`, on every (re)connect: enabled → publish them
 * (retained) and clear ones this locker published before but no longer
 * needs; disabled → clear everything it published (an empty retained
 * message removes an entity in HA). Which topics it published is remembered
 * in `<dataDir>/ha-discovery.json` (atomic write), so a locker that never
 * used HA never writes under the discovery prefix.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { LockerConfig } from "../../config/LockerConfig.js";
import type { MqttTopics } from "../topics.js";
import { discoveryMessages, type DiscoveryContext } from "./discoveryConfigs.js";

export interface HomeAssistantDiscoveryOptions {
  enabled: boolean;
  context: DiscoveryContext;
  compartments: readonly { number: number }[];
  dataDir: string;
  log: Logger;
}

type Publish = (topic: string, payload: string, opts: { qos: 1; retain: true }) => Promise<unknown>;

export class HomeAssistantDiscovery {
  private readonly file: string;

  static fromConfig(config: LockerConfig, version: string, topics: MqttTopics, log: Logger): HomeAssistantDiscovery {
    const ha = config.mqtt.homeAssistant;
    return new HomeAssistantDiscovery({
      enabled: ha?.enabled === true,
      context: { discoveryPrefix: ha?.discoveryPrefix ?? "homeassistant", lockerId: config.lockerId, displayName: config.displayName, version, topics },
      compartments: config.compartments,
      dataDir: config.dataDir,
      log,
    });
  }

  constructor(private readonly o: HomeAssistantDiscoveryOptions) {
    this.file = path.join(o.dataDir, "ha-discovery.json");
  }

  /** Publish or remove the configs; resolves when the broker acknowledged every message. */
  async sync(publish: Publish): Promise<void> {
    const before = this.published();
    const wanted = this.o.enabled ? discoveryMessages(this.o.compartments, this.o.context) : [];
    const keep = new Set(wanted.map((m) => m.topic));
    for (const m of wanted) await publish(m.topic, JSON.stringify(m.config), { qos: 1, retain: true });
    const stale = before.filter((t) => !keep.has(t));
    for (const t of stale) await publish(t, "", { qos: 1, retain: true });
    if (wanted.length > 0 || stale.length > 0 || before.length > 0) this.remember([...keep]);
    if (wanted.length) this.o.log.info({ configs: wanted.length }, "Home Assistant discovery published");
    if (stale.length) this.o.log.info({ removed: stale.length }, "Home Assistant discovery configs removed");
  }

  private published(): string[] {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, "utf8")) as { topics?: unknown };
      return Array.isArray(v.topics) ? v.topics.filter((t): t is string => typeof t === "string") : [];
    } catch {
      return [];
    }
  }

  private remember(topics: string[]): void {
    if (topics.length === 0) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w", 0o640);
    try {
      fs.writeSync(fd, JSON.stringify({ topics }, null, 1) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}
