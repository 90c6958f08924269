/**
 * A case as the locker's rules see it: one pouch of documents, from drop-off
 * to collection. The database row (`CaseRow`, snake_case columns) and the
 * mapping to and from it live in store/CaseRepo.ts; nothing in locker/ sees
 * a row.
 */
import type { CaseState } from "./events.js";

/** The door operation a case is in the middle of (persisted, so a restart can settle it). */
export type PendingOp = "dropoff" | "staff-collect" | "staff-return" | "pickup";
/** How far that operation got: compartment reserved, lock released, door seen open. */
export type PendingPhase = "reserved" | "unlocked" | "opened";

export interface Case {
  id: string;
  /** Short speakable number, e.g. "A27" (cycles after 2,376 cases). */
  number: string;
  state: CaseState;
  matter: string;
  /** The resident's mobile; null once purged. */
  phone: string | null;
  phoneMasked: string;
  name: string | null;
  note: string | null;
  /** scrypt hash of the PIN (pins.ts); null once purged. */
  pinHash: string | null;
  compartment: number | null;
  pendingOp: PendingOp | null;
  pendingPhase: PendingPhase | null;
  failedPins: number;
  overdue: boolean;
  /** Wall time of the last overdue event, ms. */
  overdueLastMs: number | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
  /** Wall time the hold period started, ms; null while the clock was unsynchronised. */
  readyMs: number | null;
  closedAt: string | null;
  closedMs: number | null;
  purgedAt: string | null;
}

/** What a new case is created with (the rest starts at its default). */
export type NewCase = Pick<
  Case,
  "id" | "number" | "state" | "matter" | "phone" | "phoneMasked" | "name" | "note" | "pinHash" | "compartment" | "pendingOp" | "pendingPhase" | "createdAt" | "updatedAt"
>;

/** Some fields of a case to change (never its id). */
export type CaseChanges = Partial<Omit<Case, "id">>;
