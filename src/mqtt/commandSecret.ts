/**
 * The per-locker command secret: a file holding the HMAC key as text.
 * Created at first start with 32 random bytes (hex) and mode 0600; an
 * existing file that others can read is refused, since anyone who reads it
 * can open doors.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** Minimum key length in characters (a shorter key is guessable). */
export const MIN_SECRET_CHARS = 32;

/**
 * Read the secret at `file`, creating it (atomically, mode 0600) when it does
 * not exist and `create` is true. Throws Config_* errors a technician can act on.
 */
export function loadCommandSecret(file: string, create = true): string {
  if (!fs.existsSync(file)) {
    if (!create) throw new LockerError(`command secret file ${file} does not exist`, ErrorCode.Config_NotFound, { file });
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
  let st: fs.Stats;
  let text: string;
  try {
    st = fs.statSync(file);
    text = fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new LockerError(`cannot read command secret file ${file}: ${(err as Error).message}`, ErrorCode.Config_Unreadable, { file });
  }
  if ((st.mode & 0o077) !== 0) {
    throw new LockerError(`command secret file ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${file}`, ErrorCode.Config_Invalid, { file });
  }
  if (text.length < MIN_SECRET_CHARS) {
    throw new LockerError(`command secret in ${file} is too short (${text.length} characters, need ${MIN_SECRET_CHARS}+)`, ErrorCode.Config_Invalid, { file });
  }
  return text;
}

/** Where the secret lives for this config. */
export function commandSecretPath(dataDir: string, configured?: string): string {
  return configured ?? path.join(dataDir, "mqtt-command-secret");
}
