/**
 * The one LockerError code → HTTP status table, used by the public app
 * (`httpErrors.ts`) and the admin socket (`buildAdminApp.ts`) alike.
 *
 * A `Record` over every `ErrorCode`, so a new code does not compile until it
 * has a status here. The rule: what the client can change by asking
 * differently is a 4xx; the locker being unable right now (board, clock,
 * configuration, a disk that refuses writes) is a 503 (try later, staff are
 * told); our own storage being broken is a 500.
 */
import { ErrorCode } from "../errors/LockerError.js";

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  // Frames and the board: the locker cannot act now; nothing the client sent was wrong.
  [ErrorCode.Frame_BadChecksum]: 503,
  [ErrorCode.Frame_Malformed]: 503,
  [ErrorCode.Frame_UnknownHeader]: 503,
  [ErrorCode.Board_NoReply]: 503,
  [ErrorCode.Board_Offline]: 503,
  [ErrorCode.Board_TransportClosed]: 503,
  [ErrorCode.Board_TransportFailed]: 503,
  [ErrorCode.Board_LockFault]: 503,
  [ErrorCode.Board_Busy]: 503,
  [ErrorCode.Board_UnknownAddress]: 503,
  [ErrorCode.Board_Aborted]: 503,

  // Locker rules: the client's request, judged.
  [ErrorCode.Locker_InvalidInput]: 400,
  [ErrorCode.Locker_WeakPin]: 400,
  [ErrorCode.Locker_TokenInvalid]: 400,
  [ErrorCode.Locker_Unauthorized]: 401,
  [ErrorCode.Locker_PickupRefused]: 403,
  [ErrorCode.Locker_CommandRefused]: 403,
  [ErrorCode.Locker_PresenceRequired]: 403,
  [ErrorCode.Locker_FormSessionExpired]: 410,
  [ErrorCode.Locker_CaseNotFound]: 404,
  [ErrorCode.Locker_CompartmentNotFound]: 404,
  // Right request, wrong moment: the case or door is in a state that forbids it now.
  [ErrorCode.Locker_NoFreeCompartment]: 409,
  [ErrorCode.Locker_IllegalTransition]: 409,
  [ErrorCode.Locker_CompartmentUnavailable]: 409,
  [ErrorCode.Locker_DoorNeverOpened]: 409,
  // A door cycle is under way on that compartment: retrying in a few seconds succeeds.
  // (The admin socket used to answer 400, which tells a client not to retry.)
  [ErrorCode.Locker_Busy]: 409,
  [ErrorCode.Locker_TokenExpired]: 410,
  [ErrorCode.Locker_TokenUsed]: 410,
  [ErrorCode.Locker_CaseFrozen]: 423,
  [ErrorCode.Locker_Throttled]: 429,
  [ErrorCode.Locker_ClockUnsynced]: 503,

  // Configuration: this locker is not set up for that; the technician fixes it, not the client.
  [ErrorCode.Config_Invalid]: 503,
  [ErrorCode.Config_NotFound]: 503,
  [ErrorCode.Config_Unreadable]: 503,
  // Storage: our fault.
  [ErrorCode.Store_Corrupt]: 500,
  [ErrorCode.Store_TooNew]: 500,
  [ErrorCode.Store_Failed]: 500,
  [ErrorCode.Store_Lost]: 500,
  // The disk refuses writes (full, I/O error): out of service until space returns; retrying later succeeds.
  [ErrorCode.Store_Unwritable]: 503,
  // Notification channels: the technician named a channel this locker does not have.
  [ErrorCode.Notify_UnknownChannel]: 404,
};

/** HTTP status for a LockerError code (500 for a code this build does not know). */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code] ?? 500;
}
