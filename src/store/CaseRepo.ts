/** Cases in SQLite (table `locker_case`, migration 001). Rows only; the rules live in src/locker. */
import type { CaseState } from "../locker/events.js";
import type { Db } from "./openDatabase.js";

export type PendingOp = "dropoff" | "staff-collect" | "staff-return" | "pickup";
export type PendingPhase = "reserved" | "unlocked" | "opened";

export interface CaseRow {
  id: string;
  number: string;
  state: CaseState;
  matter: string;
  phone: string | null;
  phone_masked: string;
  name: string | null;
  note: string | null;
  pin_hash: string | null;
  compartment: number | null;
  pending_op: PendingOp | null;
  pending_phase: PendingPhase | null;
  failed_pins: number;
  overdue: number;
  overdue_last_ms: number | null;
  created_at: string;
  updated_at: string;
  ready_at: string | null;
  ready_ms: number | null;
  closed_at: string | null;
  closed_ms: number | null;
  purged_at: string | null;
}

export type NewCase = Pick<CaseRow, "id" | "number" | "state" | "matter" | "phone" | "phone_masked" | "name" | "note" | "pin_hash" | "compartment" | "pending_op" | "pending_phase" | "created_at" | "updated_at">;

const SPEAKABLE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

export class CaseRepo {
  constructor(private readonly db: Db) {}

  get(id: string): CaseRow | undefined {
    return this.db.prepare("SELECT * FROM locker_case WHERE id = ?").get(id) as CaseRow | undefined;
  }

  /** Newest case with this speakable number (numbers cycle after 2400 cases). */
  byNumber(number: string): CaseRow | undefined {
    return this.db.prepare("SELECT * FROM locker_case WHERE number = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").get(number.toUpperCase()) as CaseRow | undefined;
  }

  insert(c: NewCase): void {
    this.db
      .prepare(
        `INSERT INTO locker_case (id, number, state, matter, phone, phone_masked, name, note, pin_hash, compartment, pending_op, pending_phase, created_at, updated_at)
         VALUES (@id, @number, @state, @matter, @phone, @phone_masked, @name, @note, @pin_hash, @compartment, @pending_op, @pending_phase, @created_at, @updated_at)`,
      )
      .run(c);
  }

  /** Update some columns of one case (column names are fixed by the type, never user input). */
  update(id: string, fields: Partial<Omit<CaseRow, "id">>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${k} = @${k}`).join(", ");
    this.db.prepare(`UPDATE locker_case SET ${sets} WHERE id = @id`).run({ ...fields, id });
  }

  list(filter: { state?: CaseState; limit?: number }): CaseRow[] {
    const limit = filter.limit ?? 100;
    if (filter.state) return this.db.prepare("SELECT * FROM locker_case WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?").all(filter.state, limit) as CaseRow[];
    return this.db.prepare("SELECT * FROM locker_case ORDER BY created_at DESC, rowid DESC LIMIT ?").all(limit) as CaseRow[];
  }

  inStates(states: readonly CaseState[]): CaseRow[] {
    return this.db.prepare(`SELECT * FROM locker_case WHERE state IN (${states.map(() => "?").join(",")}) ORDER BY rowid`).all(...states) as CaseRow[];
  }

  /** Cases of this phone a resident might collect (ready or frozen). */
  collectableByPhone(phone: string): CaseRow[] {
    return this.db.prepare("SELECT * FROM locker_case WHERE phone = ? AND state IN ('ready','frozen') ORDER BY rowid").all(phone) as CaseRow[];
  }

  withPendingOp(): CaseRow[] {
    return this.db.prepare("SELECT * FROM locker_case WHERE pending_op IS NOT NULL ORDER BY rowid").all() as CaseRow[];
  }

  /** Closed cases whose personal data is due for purge (closed before `beforeMs`). */
  purgeable(beforeMs: number): CaseRow[] {
    return this.db.prepare("SELECT * FROM locker_case WHERE closed_ms IS NOT NULL AND closed_ms < ? AND purged_at IS NULL").all(beforeMs) as CaseRow[];
  }

  /** Next short speakable number: A01…A99, B01…, skipping I and O; wraps after Z99. */
  nextNumber(): string {
    this.db.prepare("INSERT INTO counter (name, value) VALUES ('case_number', 0) ON CONFLICT(name) DO UPDATE SET value = value + 1").run();
    const v = (this.db.prepare("SELECT value FROM counter WHERE name = 'case_number'").get() as { value: number }).value;
    const slot = v % (SPEAKABLE_LETTERS.length * 99);
    return `${SPEAKABLE_LETTERS[Math.floor(slot / 99)]}${String((slot % 99) + 1).padStart(2, "0")}`;
  }
}
