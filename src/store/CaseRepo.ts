/**
 * Cases in SQLite (table `locker_case`, migration 001): rows in, domain
 * `Case` out. Rows only; the rules live in src/locker.
 */
import type { Case, CaseChanges, NewCase, PendingOp, PendingPhase } from "../locker/Case.js";
import type { CaseState } from "../locker/events.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

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

/** Domain field → column. The only column names ever put into SQL text (never user input). */
const COLUMN: Readonly<Record<keyof Case, keyof CaseRow>> = {
  id: "id",
  number: "number",
  state: "state",
  matter: "matter",
  phone: "phone",
  phoneMasked: "phone_masked",
  name: "name",
  note: "note",
  pinHash: "pin_hash",
  compartment: "compartment",
  pendingOp: "pending_op",
  pendingPhase: "pending_phase",
  failedPins: "failed_pins",
  overdue: "overdue",
  overdueLastMs: "overdue_last_ms",
  createdAt: "created_at",
  updatedAt: "updated_at",
  readyAt: "ready_at",
  readyMs: "ready_ms",
  closedAt: "closed_at",
  closedMs: "closed_ms",
  purgedAt: "purged_at",
};

/** A row as the domain sees it. */
export function toCase(r: CaseRow): Case {
  const c = {} as Record<keyof Case, unknown>;
  for (const [field, column] of Object.entries(COLUMN) as [keyof Case, keyof CaseRow][]) c[field] = r[column];
  c.overdue = r.overdue === 1;
  return c as unknown as Case;
}

/** Domain changes as column values (booleans become 0/1 for SQLite). */
function toColumns(changes: CaseChanges): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes) as [keyof Case, unknown][]) {
    if (value === undefined) continue;
    out[COLUMN[field]] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }
  return out;
}

const SPEAKABLE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

export class CaseRepo {
  /** Prepared once: every pickup attempt runs it, a flood's guesses too (preparing it each time was most of its cost). */
  private byPhone: ReturnType<Db["prepare"]> | undefined;

  constructor(private readonly db: Db) {}

  get(id: string): Case | undefined {
    return this.one(statement(this.db, "SELECT * FROM locker_case WHERE id = ?").get(id));
  }

  /** Newest case with this speakable number (numbers cycle after 2,376 cases). */
  byNumber(number: string): Case | undefined {
    return this.one(statement(this.db, "SELECT * FROM locker_case WHERE number = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").get(number.toUpperCase()));
  }

  insert(c: NewCase): void {
    statement(
      this.db,
      `INSERT INTO locker_case (id, number, state, matter, phone, phone_masked, name, note, pin_hash, compartment, pending_op, pending_phase, created_at, updated_at)
         VALUES (@id, @number, @state, @matter, @phone, @phone_masked, @name, @note, @pin_hash, @compartment, @pending_op, @pending_phase, @created_at, @updated_at)`,
    ).run(toColumns(c));
  }

  /** Change some fields of one case. */
  update(id: string, changes: CaseChanges): void {
    const cols = toColumns(changes);
    const keys = Object.keys(cols);
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${k} = @${k}`).join(", ");
    statement(this.db, `UPDATE locker_case SET ${sets} WHERE id = @id`).run({ ...cols, id });
  }

  list(filter: { state?: CaseState; limit?: number }): Case[] {
    const limit = filter.limit ?? 100;
    if (filter.state) return this.many(statement(this.db, "SELECT * FROM locker_case WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?").all(filter.state, limit));
    return this.many(statement(this.db, "SELECT * FROM locker_case ORDER BY created_at DESC, rowid DESC LIMIT ?").all(limit));
  }

  inStates(states: readonly CaseState[]): Case[] {
    return this.many(statement(this.db, `SELECT * FROM locker_case WHERE state IN (${states.map(() => "?").join(",")}) ORDER BY rowid`).all(...states));
  }

  /** Cases of this phone a resident might collect (ready or frozen). */
  collectableByPhone(phone: string): Case[] {
    this.byPhone ??= statement(this.db, "SELECT * FROM locker_case WHERE phone = ? AND state IN ('ready','frozen') ORDER BY rowid");
    return this.many(this.byPhone.all(phone));
  }

  /** Closed cases whose closing time was never stamped (closed while the clock was untrusted); not purged yet. */
  closedUnstamped(): Case[] {
    return this.many(statement(this.db, "SELECT * FROM locker_case WHERE state IN ('collected','cancelled') AND closed_ms IS NULL AND purged_at IS NULL ORDER BY rowid").all());
  }

  withPendingOp(): Case[] {
    return this.many(statement(this.db, "SELECT * FROM locker_case WHERE pending_op IS NOT NULL ORDER BY rowid").all());
  }

  /** Closed cases whose personal data is due for purge (closed before `beforeMs`, wall ms). */
  purgeable(beforeMs: number): Case[] {
    return this.many(statement(this.db, "SELECT * FROM locker_case WHERE closed_ms IS NOT NULL AND closed_ms < ? AND purged_at IS NULL").all(beforeMs));
  }

  /** Next short speakable number: A01…A99, B01…, skipping I and O; wraps after Z99. */
  nextNumber(): string {
    statement(this.db, "INSERT INTO counter (name, value) VALUES ('case_number', 0) ON CONFLICT(name) DO UPDATE SET value = value + 1").run();
    const v = (statement(this.db, "SELECT value FROM counter WHERE name = 'case_number'").get() as { value: number }).value;
    const slot = v % (SPEAKABLE_LETTERS.length * 99);
    return `${SPEAKABLE_LETTERS[Math.floor(slot / 99)]}${String((slot % 99) + 1).padStart(2, "0")}`;
  }

  private one(row: unknown): Case | undefined {
    return row === undefined ? undefined : toCase(row as CaseRow);
  }

  private many(rows: unknown[]): Case[] {
    return (rows as CaseRow[]).map(toCase);
  }
}
