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
  /** A pickup away from the locker's screen without a fresh presence token (the kiosk QR), or the keypad off the kiosk listener. */
  Locker_PresenceRequired = 330,
  /** The drop-off form's session has lapsed; the resident scans again and keeps what they typed. */
  Locker_FormSessionExpired = 331,

  // 400s: configuration and storage
  Config_Invalid = 400,
  Config_NotFound = 401,
  Config_Unreadable = 402,
  Store_Corrupt = 450,
  Store_TooNew = 451,
  Store_Failed = 452,
  /** The database is missing or empty where the data folder shows a locker that ran before. */
  Store_Lost = 453,
  /** The disk refuses writes (full, I/O error): the locker is out of service until a write succeeds again; staff are alerted. */
  Store_Unwritable = 454,

  // 500s: notification channels
  Notify_UnknownChannel = 500,
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

/** The layer a code belongs to, from its range (100s frames, 200s board, 300s locker rules, 400–449 config, 450–499 storage, 500s notification channels). */
export type CodeRange = "frame" | "board" | "locker" | "config" | "store" | "notify" | "unknown";

/** Which range `code` falls in; the one place that knows the ranges' bounds. */
export function codeRange(code: number): CodeRange {
  if (code >= 100 && code < 200) return "frame";
  if (code >= 200 && code < 300) return "board";
  if (code >= 300 && code < 400) return "locker";
  if (code >= 400 && code < 450) return "config";
  if (code >= 450 && code < 500) return "store";
  if (code >= 500 && code < 600) return "notify";
  return "unknown";
}

function inRange(e: unknown, range: CodeRange): e is LockerError {
  return e instanceof LockerError && codeRange(e.code) === range;
}

/** A `Frame_*` error (100s): bytes on the wire that do not make a valid frame. */
export function isFrameError(e: unknown): e is LockerError {
  return inRange(e, "frame");
}

/** A `Board_*` error (200s): the lock board or its transport. */
export function isBoardError(e: unknown): e is LockerError {
  return inRange(e, "board");
}

/** A `Locker_*` error (300s): refused by the locker's rules (cases, compartments, PINs, tokens, commands). */
export function isLockerDomainError(e: unknown): e is LockerError {
  return inRange(e, "locker");
}

/** A `Config_*` error (400–449): the configuration (or a file it names) is wrong. */
export function isConfigError(e: unknown): e is LockerError {
  return inRange(e, "config");
}

/** A `Store_*` error (450–499): the SQLite database. */
export function isStoreError(e: unknown): e is LockerError {
  return inRange(e, "store");
}

/** Board/transport failures: the exchange may or may not have reached the board. */
export function isTransmissionError(e: unknown): e is LockerError {
  return isBoardError(e);
}
