/**
 * The MQTT contract as types: every topic under `<prefix>/<lockerId>/` and
 * the payload it carries. MQTT_CONTRACT.md and the JSON schemas in
 * `schemas/` describe the same shapes for integrators.
 */
import type { CompartmentSnapshot, LockerEvent, LockerEventType } from "../locker/events.js";

/** Verbs a back office may send on `cmd/<name>`. There is deliberately no "open all". */
export const COMMAND_NAMES = ["open", "disable", "enable", "ping"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** `status` (retained). The last will carries `state: "offline"`. */
export interface StatusPayload {
  state: "online" | "offline";
  lockerId: string;
  version: string;
  /** ISO 8601 wall time of the change (absent in the last will, which the broker sends for us). */
  time?: string;
  /** Why offline: "stopped" on a clean stop, "connection lost" in the last will. */
  reason?: string;
}

/** `compartments` (retained): every compartment, re-published on change. */
export interface CompartmentsPayload {
  lockerId: string;
  time: string;
  compartments: CompartmentSnapshot[];
}

/** `cmd/<name>` (in). Signed; see commandSigning.ts for the canonical form. */
export interface SignedCommand {
  /** Single-use id, 8–64 characters of [A-Za-z0-9_-]. */
  id: string;
  /** Unix time in seconds when the back office signed it. */
  ts: number;
  /** `open`, `disable`, `enable`: the one compartment (number on the door). */
  compartment?: number;
  /** `open` and `disable`: why (kept in the audit trail). 1–200 characters. */
  reason?: string;
  /** Lowercase hex HMAC-SHA256 of the canonical form. */
  sig: string;
}

/** `cmd-result` (out): one answer per command received. */
export interface CommandResult {
  /** The command's id, or null when the payload was unreadable. */
  id: string | null;
  command: string;
  status: "ok" | "refused" | "error";
  /** LockerError code (ErrorCode) for refused/error. */
  code?: number;
  /** Short machine-readable refusal reason, e.g. "bad-signature", "stale-timestamp", "replayed-id". */
  reason?: string;
  /** What a person should know or do. */
  message?: string;
  /** Back-office requests: the args field that was refused. */
  field?: string;
  /** Throttled: wait this long, seconds. */
  retryAfterS?: number;
  data?: Record<string, unknown>;
}

/** Topic (relative to `<prefix>/<lockerId>/`) → payload. */
export interface MqttApi {
  status: StatusPayload;
  compartments: CompartmentsPayload;
  "cmd-result": CommandResult;
  [k: `events/${string}`]: LockerEvent;
  [k: `cmd/${string}`]: SignedCommand;
}

/** Absolute topic names for one locker. */
export class MqttTopics {
  readonly base: string;
  constructor(prefix: string, lockerId: string) {
    this.base = `${prefix}/${lockerId}`;
  }
  get status(): string {
    return `${this.base}/status`;
  }
  get compartments(): string {
    return `${this.base}/compartments`;
  }
  get cmdResult(): string {
    return `${this.base}/cmd-result`;
  }
  /** Subscription filter for every command verb. */
  get cmdFilter(): string {
    return `${this.base}/cmd/+`;
  }
  event(type: LockerEventType): string {
    return `${this.base}/events/${type}`;
  }
  cmd(name: string): string {
    return `${this.base}/cmd/${name}`;
  }
  /** The verb of a `cmd/<name>` topic of this locker, or undefined for any other topic. */
  commandOf(topic: string): string | undefined {
    const head = `${this.base}/cmd/`;
    return topic.startsWith(head) ? topic.slice(head.length) : undefined;
  }
}
