/**
 * Staff sign-in codes (SQL in `store/StaffRepo.ts`). A code is 8 random
 * digits (so it can be typed on the kiosk keypad), shown once when created and
 * stored only as a salted scrypt hash sealed with the device pepper (PinPepper:
 * a copy of the database alone verifies nothing). Verification hashes off the
 * event loop.
 */
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import { isPlausibleScryptShape, pinHasher, SCRYPT_SHAPE } from "../../locker/PinHasher.js";
import type { Db } from "../../store/openDatabase.js";
import { StaffRepo, type StaffRow } from "../../store/StaffRepo.js";
import { PinPepper } from "../../store/PinPepper.js";

export interface StaffMember {
  id: string;
  name: string;
  createdAt: string;
  revokedAt?: string;
}

/** Digits in a staff code. */
export const STAFF_CODE_DIGITS = 8;
const KEY_LEN = 32;

// Through the one PIN hasher, like resident PINs: one hash at a time, in the hash budget (see PinHasher).
function hash(code: string, salt: Buffer, params: { n: number; r: number; p: number }): Promise<Buffer> {
  return pinHasher.derive({ pin: code, salt, keyLen: KEY_LEN, ...params });
}

function toMember(r: StaffRow): StaffMember {
  return { id: r.id, name: r.name, createdAt: r.created_at, ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}) };
}

export class StaffStore {
  private readonly repo: StaffRepo;

  /** @param scryptCost scrypt N (power of two); `config.pins.scryptCost`, default 2^14. */
  constructor(
    db: Db,
    private readonly scryptCost = 16_384,
    private readonly now: () => Date = () => new Date(),
    /** The device pepper; without it (tests only) hashes are stored unsealed. */
    private readonly pepper?: PinPepper,
  ) {
    this.repo = new StaffRepo(db);
  }

  /**
   * Seal every hash stored before the pepper existed (done once at start;
   * needs no code in clear: the stored scrypt output is what gets sealed).
   * Returns how many rows it sealed.
   */
  sealOldHashes(): number {
    const pepper = this.pepper;
    if (!pepper) return 0;
    const old = this.repo.all().filter((r) => !PinPepper.isSealedBlob(r.code_hash));
    this.repo.setHashes(old.map((r) => ({ id: r.id, code_hash: pepper.sealBlob(r.code_hash) })));
    return old.length;
  }

  /** What to store for a freshly derived scrypt key. */
  private stored(key: Buffer): Buffer {
    return this.pepper ? this.pepper.sealBlob(key) : key;
  }

  /** Whether `key` (scrypt of a candidate code) matches the stored hash. */
  private matches(key: Buffer, stored: Buffer): boolean {
    const candidate = PinPepper.isSealedBlob(stored) ? (this.pepper ? this.pepper.sealBlob(key) : undefined) : this.pepper ? undefined : key;
    return candidate !== undefined && candidate.length === stored.length && timingSafeEqual(candidate, stored);
  }

  /** Create a staff member; returns the code in clear exactly once. */
  async add(name: string): Promise<StaffMember & { code: string }> {
    const clean = name.trim();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a name must not hold
    if (clean.length < 1 || clean.length > 40 || /[\u0000-\u001f]/.test(clean))
      throw new LockerError("staff name must be 1–40 printable characters", ErrorCode.Locker_InvalidInput, { field: "name" });
    let code = "";
    for (let i = 0; i < STAFF_CODE_DIGITS; i++) code += String(randomInt(10));
    const salt = randomBytes(16);
    const key = await hash(code, salt, { n: this.scryptCost, ...SCRYPT_SHAPE });
    const row: StaffRow = {
      id: randomUUID().slice(0, 8),
      name: clean,
      code_salt: salt,
      code_hash: this.stored(key),
      scrypt_cost: this.scryptCost,
      scrypt_r: SCRYPT_SHAPE.r,
      scrypt_p: SCRYPT_SHAPE.p,
      created_at: this.now().toISOString(),
      revoked_at: null,
    };
    this.repo.insert(row);
    return { ...toMember(row), code };
  }

  /** Every staff member, newest first, revoked ones included. */
  list(): StaffMember[] {
    return this.repo.all().map(toMember);
  }

  /** Revoke a code; its sessions end at their next request. */
  revoke(id: string): StaffMember {
    if (!this.repo.revoke(id, this.now().toISOString())) {
      const exists = this.repo.get(id) !== undefined;
      throw new LockerError(exists ? `staff ${id} is already revoked` : `no staff member with id ${id} (see: lockerctl staff list)`, ErrorCode.Locker_InvalidInput, { id });
    }
    return toMember(this.repo.get(id)!);
  }

  /** True while the member exists and is not revoked. */
  isActive(id: string): boolean {
    return this.repo.isActive(id);
  }

  /** The active member whose code this is, or undefined. Cost: one scrypt per active member. */
  async verify(code: string): Promise<StaffMember | undefined> {
    if (!new RegExp(`^\\d{${STAFF_CODE_DIGITS}}$`).test(code)) return undefined;
    const rows = this.repo.active();
    let found: StaffRow | undefined;
    // Check every row (no early exit) so timing does not reveal the position of a match.
    for (const r of rows) {
      if (!isPlausibleScryptShape(r.scrypt_r, r.scrypt_p)) continue;
      const key = await hash(code, r.code_salt, { n: r.scrypt_cost, r: r.scrypt_r, p: r.scrypt_p });
      if (this.matches(key, r.code_hash)) found = r;
    }
    return found ? toMember(found) : undefined;
  }
}
