/**
 * One error class for the whole daemon, with stable numeric codes grouped by
 * layer. HTTP, MQTT and the CLI map *codes* (never message text) to answers.
 */
export enum ErrorCode {
  // 100s: frames on the wire
  Frame_BadChecksum = 100,
  Frame_Malformed = 101,
  Frame_UnknownHeader = 102,

  // 200s: the lock board and its transport
  Board_NoReply = 200,
  Board_Offline = 201,
  Board_TransportClosed = 202,
  Board_TransportFailed = 203,
  Board_LockFault = 204,
  Board_Busy = 205,
  Board_UnknownAddress = 206,
  Board_Aborted = 207,

  // 300s: locker rules (cases, compartments, PINs, tokens, commands)
  Locker_NoFreeCompartment = 300,
  Locker_CaseNotFound = 301,
  Locker_IllegalTransition = 302,
  Locker_CompartmentNotFound = 303,
  Locker_CompartmentUnavailable = 304,
  Locker_WeakPin = 305,
  Locker_InvalidInput = 306,
  Locker_TokenInvalid = 307,
  Locker_TokenExpired = 308,
  Locker_TokenUsed = 309,
  Locker_PickupRefused = 310,
  Locker_Throttled = 311,
  Locker_CaseFrozen = 312,
  Locker_ClockUnsynced = 313,
  Locker_DoorNeverOpened = 314,
  Locker_Unauthorized = 315,
  Locker_CommandRefused = 316,
  Locker_Busy = 317,

  // 400s: configuration and storage
  Config_Invalid = 400,
  Config_NotFound = 401,
  Config_Unreadable = 402,
  Store_Corrupt = 450,
  Store_TooNew = 451,
  Store_Failed = 452,
  /** The database is missing or empty where the data folder shows a locker that ran before. */
  Store_Lost = 453,
  /** A write failed (disk full, read-only, I/O error). */
  Store_WriteFailed = 454,
}

/** Error raised anywhere in lockerd; `context` carries machine-readable detail (board, channel, caseId…). */
export class LockerError extends Error {
  override readonly name = "LockerError";
  constructor(
    message: string,
    public readonly code: ErrorCode,
    public readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): { code: number; error: string; message: string; context: Record<string, unknown> } {
    return { code: this.code, error: ErrorCode[this.code] ?? "Unknown", message: this.message, context: this.context };
  }
}

export function isLockerError(e: unknown, code?: ErrorCode): e is LockerError {
  return e instanceof LockerError && (code === undefined || e.code === code);
}

/** Board/transport failures: the exchange may or may not have reached the board. */
export function isTransmissionError(e: unknown): e is LockerError {
  return e instanceof LockerError && e.code >= 200 && e.code < 300;
}
