/**
 * Pure: Home Assistant MQTT discovery configs for each compartment, as HA
 * documents them (integrations binary_sensor.mqtt and sensor.mqtt):
 * - `binary_sensor` door (device_class door: on = open),
 * - `binary_sensor` lock (device_class lock: on = unlocked). An 8A/80 board
 *   has one feedback switch per lock, on the latch: the lock reads unlocked
 *   exactly while the door is not shut and latched, so both come from the
 *   same reading in the retained `compartments` topic,
 * - `sensor` status (device_class enum: free, reserved, holding, faulty, disabled).
 * Read-only: no `command_topic` anywhere, so nothing in HA can open a door.
 * Availability follows the locker's retained `status` topic (online/offline,
 * offline also as the last will).
 */
import type { CompartmentConfig } from "../../config/LockerConfig.js";
import type { MqttTopics } from "../topics.js";

export interface DiscoveryContext {
  discoveryPrefix: string;
  lockerId: string;
  displayName: string;
  version: string;
  topics: Pick<MqttTopics, "status" | "compartments">;
}

export interface DiscoveryMessage {
  topic: string;
  config: Record<string, unknown>;
}

export const COMPARTMENT_STATUSES = ["free", "reserved", "holding", "faulty", "disabled"] as const;

/** Node id in HA topics: [a-zA-Z0-9_-] only. */
function nodeId(lockerId: string): string {
  return `lockerd_${lockerId.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
}

/** Jinja that picks one field of compartment `n` from the `compartments` payload. */
function field(n: number, name: "door" | "status"): string {
  return `(value_json.compartments | selectattr('number', 'equalto', ${n}) | map(attribute='${name}') | first)`;
}

export function discoveryMessages(compartments: readonly Pick<CompartmentConfig, "number">[], ctx: DiscoveryContext): DiscoveryMessage[] {
  const node = nodeId(ctx.lockerId);
  const device = { identifiers: [node], name: ctx.displayName, manufacturer: "lockerd", model: "off-hours document locker", sw_version: ctx.version };
  const availability = [{ topic: ctx.topics.status, value_template: "{{ value_json.state }}", payload_available: "online", payload_not_available: "offline" }];
  const common = { availability, device, state_topic: ctx.topics.compartments, qos: 1 };
  const out: DiscoveryMessage[] = [];
  for (const { number: n } of compartments) {
    const door = field(n, "door");
    out.push({
      topic: `${ctx.discoveryPrefix}/binary_sensor/${node}/compartment_${n}_door/config`,
      config: {
        name: `${n}号门 门`,
        unique_id: `${node}_c${n}_door`,
        device_class: "door",
        ...common,
        // "None" makes HA show unknown (door not read yet).
        value_template: `{% set d = ${door} %}{{ 'ON' if d == 'open' else 'OFF' if d == 'closed' else 'None' }}`,
        payload_on: "ON",
        payload_off: "OFF",
      },
    });
    out.push({
      topic: `${ctx.discoveryPrefix}/binary_sensor/${node}/compartment_${n}_lock/config`,
      config: {
        name: `${n}号门 锁`,
        unique_id: `${node}_c${n}_lock`,
        device_class: "lock",
        ...common,
        value_template: `{% set d = ${door} %}{{ 'OFF' if d == 'closed' else 'ON' if d == 'open' else 'None' }}`,
        payload_on: "ON",
        payload_off: "OFF",
      },
    });
    out.push({
      topic: `${ctx.discoveryPrefix}/sensor/${node}/compartment_${n}_status/config`,
      config: {
        name: `${n}号门 状态`,
        unique_id: `${node}_c${n}_status`,
        device_class: "enum",
        options: [...COMPARTMENT_STATUSES],
        ...common,
        value_template: `{{ ${field(n, "status")} }}`,
      },
    });
  }
  return out;
}
