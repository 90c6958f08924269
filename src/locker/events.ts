/**
 * What the locker tells the world. `LockerEvent` is the JSON object staff and
 * the back office receive on `events/<type>` (written to the SQLite outbox in
 * the same transaction as the state change that causes it, then relayed).
 * `DomainEvents` is the in-process bus that MQTT, HTTP/SSE and the kiosk
 * subscribe to.
 */
import { EventEmitter } from "node:events";
import type { DoorChangedEvent } from "../board/DoorHardware.js";

export type LockerEventType = "dropoff" | "ready" | "collected" | "cancelled" | "overdue" | "alarm";

export type AlarmKind =
  | "door-left-open"
  | "tamper"
  | "lock-fault"
  | "board-offline"
  | "board-online"
  | "pin-burst"
  | "case-frozen"
  | "no-free-compartment"
  | "outbox-backlog"
  /** Boards that sense items: a pickup or staff collect closed on a compartment still holding something. */
  | "item-left-behind"
  /** Boards that sense items: something appeared in a free compartment. */
  | "unexpected-item"
  /** The database file or its WAL vanished while running (issue 9). */
  | "database-lost"
  /** An outbox row that can never be published was set aside. */
  | "outbox-dead-letter"
  /** The disk refuses writes (full, I/O error): out of service until it takes one again. */
  | "storage-full"
  /** Writes succeed again after `storage-full`. */
  | "storage-ok";

export interface LockerEvent {
  /** Unique id (UUID v4); consumers de-duplicate on it (delivery is at-least-once). */
  id: string;
  type: LockerEventType;
  /** ISO 8601 wall time when it happened (flagged by `clockTrusted: false` if the clock was not synced). */
  time: string;
  clockTrusted: boolean;
  lockerId: string;
  caseId?: string;
  /** Short speakable case number, e.g. "A27". */
  caseNumber?: string;
  compartment?: number;
  matter?: string;
  /** Masked phone, 138****5678; never the full number. */
  phone?: string;
  /** For `alarm`. */
  kind?: AlarmKind;
  message?: string;
  detail?: Record<string, unknown>;
}

export interface OutboxEntry {
  /** Monotonic sequence; events go out in this order. */
  seq: number;
  event: LockerEvent;
}

/** The outbox as the relay sees it (implemented in store/). */
export interface OutboxReader {
  /** Oldest unsent entries, in order. */
  pending(limit: number): OutboxEntry[];
  markSent(seq: number): void;
  depth(): number;
}

export type CaseState = "dropoff_pending" | "dropped_off" | "with_staff" | "return_pending" | "ready" | "collecting" | "collected" | "cancelled" | "frozen";

export type CompartmentStatus = "free" | "reserved" | "holding" | "faulty" | "disabled";

export interface CompartmentSnapshot {
  number: number;
  size: string;
  row: number;
  column: number;
  status: CompartmentStatus;
  door: "open" | "closed" | "unknown";
  /** Case currently using it (reserved or holding), if any. */
  caseId?: string;
  caseNumber?: string;
  faultReason?: string;
  /** Something is inside; only from boards that sense it (Kerong infrared), absent otherwise. */
  occupied?: boolean;
}

/** What the kiosk should say right now about a door (pushed over SSE). */
export interface DoorPrompt {
  compartment: number;
  purpose: "dropoff" | "pickup" | "staff-collect" | "staff-return" | "staff-open";
  caseNumber?: string;
  /** `put-pouch-in`: a drop-off door closed on an empty compartment (opened once more); `left-behind`: closed with something still inside. */
  phase: "open" | "please-close" | "closed" | "cancelled" | "fault" | "put-pouch-in" | "left-behind";
}

export interface DomainEventMap {
  /** An event was committed to the outbox: the relay should wake now. */
  outboxAppended: [LockerEvent];
  caseChanged: [{ caseId: string; caseNumber: string; state: CaseState; previous?: CaseState }];
  compartmentsChanged: [CompartmentSnapshot[]];
  door: [DoorChangedEvent];
  doorPrompt: [DoorPrompt];
  boardOnline: [];
  boardOffline: [{ reason: string }];
  /** The disk started refusing writes (`Store_Unwritable`): out of service. */
  storageFailed: [{ code: string; message: string }];
  /** A write succeeded again after `storageFailed`. */
  storageRecovered: [];
  /** A plumbing alarm that could not be written to the outbox (the disk refuses): MQTT publishes it directly. */
  alarmUnrecorded: [LockerEvent];
  /** The kiosk QR changed (rotation or use). */
  qrRotated: [{ url: string; expiresAtWallMs: number }];
}

/**
 * Typed in-process bus. Listeners are isolated: one that throws is logged
 * (via the `onListenerError` hook) and the others still run.
 */
export class DomainEvents extends EventEmitter<DomainEventMap> {
  onListenerError: (event: string, err: unknown) => void = () => {};

  override emit<K extends keyof DomainEventMap>(event: K, ...args: DomainEventMap[K]): boolean {
    const listeners = this.listeners(event) as Array<(...a: DomainEventMap[K]) => unknown>;
    for (const listener of listeners) {
      try {
        const r = listener(...args);
        if (r && typeof (r as Promise<unknown>).catch === "function") {
          (r as Promise<unknown>).catch((err) => this.onListenerError(String(event), err));
        }
      } catch (err) {
        this.onListenerError(String(event), err);
      }
    }
    return listeners.length > 0;
  }
}
