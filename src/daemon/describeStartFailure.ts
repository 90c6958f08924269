/** Turns a daemon start failure into a message a person can act on. */
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { isStorageFailure } from "../store/storageFailure.js";

/** Turn a start failure into a message a person can act on. */
export function describeStartFailure(err: unknown): string {
  if (err instanceof LockerError) {
    if (err.code === ErrorCode.Store_Corrupt || err.code === ErrorCode.Store_TooNew)
      return `${err.message}\n(the database was left untouched; restore a backup made with 'lockerctl backup' or install the newer lockerd)`;
    return err.message;
  }
  if (isStorageFailure(err))
    return `the data folder's disk refuses writes (${(err as NodeJS.ErrnoException).code}: ${(err as Error).message}): it is full or failing; free space there (old backups, logs) and start again`;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EADDRINUSE")
    return `a port is already in use (${e.message}); is another lockerd running? Change http.port, mqtt.embeddedPort or simulator.controlPort, or stop the other one.`;
  if (e?.code === "EACCES") return `permission denied: ${e.message}; check the data folder and the serial device permissions (group dialout).`;
  return (err as Error)?.stack ?? String(err);
}
