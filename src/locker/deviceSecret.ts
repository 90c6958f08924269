/** The device secret that signs QR tokens: 32 random bytes, created at first start, file mode 0600. */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** Read the secret at `file`, creating it (atomically, mode 0600) if absent; an existing file readable by others is set to 0600. */
export function loadOrCreateDeviceSecret(file: string): Buffer {
  try {
    const hexText = fs.readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(hexText)) {
      throw new LockerError(
        `device secret ${file} is not 64 hex digits; restore it from backup or delete it to create a new one (old QR codes stop working)`,
        ErrorCode.Config_Invalid,
        { file },
      );
    }
    // Anyone who reads it can mint drop-off QR codes: close a file restored or copied with looser permissions.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return Buffer.from(hexText, "hex");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      if (err instanceof LockerError) throw err;
      throw new LockerError(`cannot read device secret ${file}: ${(err as Error).message}`, ErrorCode.Config_Unreadable, { file });
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, secret.toString("hex") + "\n");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return secret;
}
