/**
 * The device pepper: a 32-byte key in its own file (`<dataDir>/pin-pepper`,
 * mode 0600, created at first start), never in the database. Every PIN and
 * staff-code hash is sealed with it (HMAC-SHA256 over the scrypt output), so
 * a copy of the database, its WAL or a backup alone cannot be used to test
 * guesses: without the pepper not even the right PIN verifies.
 *
 * Keep the pepper file with the locker and back it up separately from the
 * database (DEPLOY.md): a database restored without it holds PINs and codes
 * nobody can use, and staff must reset them.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** First byte of a sealed staff-code hash (an unsealed scrypt key is 32 bytes, a sealed one 33). */
const SEALED_V1 = 0x01;

export class PinPepper {
  private constructor(private readonly key: Buffer) {}

  /** Where the pepper lives for this data folder. */
  static path(dataDir: string): string {
    return path.join(dataDir, "pin-pepper");
  }

  /** Read the pepper, creating it (atomically, 0600) at first start. Throws Config_* errors. */
  static load(file: string): PinPepper {
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = fs.openSync(tmp, "wx", 0o600);
      try {
        fs.writeSync(fd, randomBytes(32).toString("hex") + "\n");
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    }
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8").trim();
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    } catch (err) {
      throw new LockerError(`cannot read the PIN pepper ${file}: ${(err as Error).message}`, ErrorCode.Config_Unreadable, { file });
    }
    if (!/^[0-9a-f]{64}$/.test(text)) {
      throw new LockerError(`PIN pepper ${file} is not 64 hex digits; restore it from its backup (without it no PIN or staff code verifies)`, ErrorCode.Config_Invalid, { file });
    }
    return new PinPepper(Buffer.from(text, "hex"));
  }

  /** A pepper from raw bytes (tests). */
  static fromKey(key: Buffer): PinPepper {
    return new PinPepper(Buffer.from(key));
  }

  /** HMAC-SHA256 of a scrypt output under the pepper (32 bytes). */
  mac(scryptKey: Buffer): Buffer {
    return createHmac("sha256", this.key).update(scryptKey).digest();
  }

  /** A staff-code hash to store: version byte + mac (33 bytes). */
  sealBlob(scryptKey: Buffer): Buffer {
    return Buffer.concat([Buffer.from([SEALED_V1]), this.mac(scryptKey)]);
  }

  /** True for a blob written by sealBlob (older hashes are the bare 32-byte scrypt key). */
  static isSealedBlob(stored: Buffer): boolean {
    return stored.length === 33 && stored[0] === SEALED_V1;
  }
}
