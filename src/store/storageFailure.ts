/** Which errors mean the disk (not our SQL, not our data) refused: shared by `openDatabase` and `StorageGuard`. */
import { ErrorCode, isLockerError } from "../errors/LockerError.js";

/** Error codes that mean the disk (not our SQL, not our data) refused a write. */
export function isStorageFailure(err: unknown): boolean {
  if (isLockerError(err, ErrorCode.Store_Unwritable)) return true;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return false;
  return code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR") || code === "ENOSPC" || code === "EIO" || code === "EDQUOT";
}
