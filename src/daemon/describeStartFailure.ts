/** Turns a daemon start failure into a message a person can act on. */
import { ErrorCode, LockerError } from "../errors/LockerError.js";

/** Turn a start failure into a message a person can act on. */
export function describeStartFailure(err: unknown): string {
  if (err instanceof LockerError) {
    if (err.code === ErrorCode.Store_Corrupt || err.code === ErrorCode.Store_TooNew)
      return `${err.message}\n(the database was left untouched; restore a backup made with 'lockerctl backup' or install the newer lockerd)`;
    return err.message;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EADDRINUSE")
    return `a port is already in use (${e.message}); is another lockerd running? Change http.port, mqtt.embeddedPort or simulator.controlPort, or stop the other one.`;
  if (e?.code === "EACCES") return `permission denied: ${e.message}; check the data folder and the serial device permissions (group dialout).`;
  return (err as Error)?.stack ?? String(err);
}
