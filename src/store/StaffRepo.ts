/** Staff members and their hashed sign-in codes (table `staff`, migration 003); the rules on top live in `http/staff/StaffStore.ts`. */
import { m003_staff } from "./migrations/003-staff.js";
import { m006_staff_scrypt_shape } from "./migrations/006-staff-scrypt-shape.js";
import type { Db } from "./openDatabase.js";
import { statement } from "./statements.js";

export interface StaffRow {
  id: string;
  name: string;
  code_salt: Buffer;
  code_hash: Buffer;
  /** scrypt N the hash was made with (so a later cost change still verifies old codes). */
  scrypt_cost: number;
  /** scrypt r and p the hash was made with (migration 006; rows before it: 8 and 1). */
  scrypt_r: number;
  scrypt_p: number;
  created_at: string;
  revoked_at: string | null;
}

export class StaffRepo {
  constructor(private readonly db: Db) {}

  insert(row: Omit<StaffRow, "revoked_at">): void {
    statement(
      this.db,
      "INSERT INTO staff (id, name, code_salt, code_hash, scrypt_cost, scrypt_r, scrypt_p, created_at) VALUES (@id, @name, @code_salt, @code_hash, @scrypt_cost, @scrypt_r, @scrypt_p, @created_at)",
    ).run(row);
  }

  /** Every row, newest first, revoked ones included. */
  all(): StaffRow[] {
    return statement(this.db, "SELECT * FROM staff ORDER BY created_at DESC, id").all() as StaffRow[];
  }

  /** Rows not revoked. */
  active(): StaffRow[] {
    return statement(this.db, "SELECT * FROM staff WHERE revoked_at IS NULL").all() as StaffRow[];
  }

  get(id: string): StaffRow | undefined {
    return statement(this.db, "SELECT * FROM staff WHERE id = ?").get(id) as StaffRow | undefined;
  }

  isActive(id: string): boolean {
    return statement(this.db, "SELECT 1 FROM staff WHERE id = ? AND revoked_at IS NULL").get(id) !== undefined;
  }

  /** Mark revoked at `at` (ISO time); false when there is no such active row. */
  revoke(id: string, at: string): boolean {
    return statement(this.db, "UPDATE staff SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id).changes === 1;
  }

  /** Replace many rows' stored hash in one transaction (sealing old hashes with the pepper). */
  setHashes(rows: Array<{ id: string; code_hash: Buffer }>): void {
    const update = statement(this.db, "UPDATE staff SET code_hash = ? WHERE id = ?");
    this.db.transaction(() => {
      for (const r of rows) update.run(r.code_hash, r.id);
    })();
  }
}

/** The staff table as the migrations leave it, on a scratch database that holds nothing else (the OpenAPI generator's, tests'). */
export function createStaffTable(db: Db): void {
  for (const m of [m003_staff, m006_staff_scrypt_shape]) m.up(db);
}
