/** Input checks for the core's entry points; each refusal says what to fix. */
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { isMobilePhone } from "../rules/phone.js";
import { NAME_MAX_CHARS, NOTE_MAX_CHARS, REASON_MAX_CHARS } from "../rules/limits.js";
import type { DropoffRequest } from "./LockerApi.js";

function invalid(message: string, field: string): LockerError {
  return new LockerError(message, ErrorCode.Locker_InvalidInput, { field });
}

export function validateDropoff(req: DropoffRequest, config: LockerConfig): void {
  if (!req || typeof req !== "object") throw invalid("the drop-off request is empty", "body");
  const hasToken = typeof req.token === "string" && req.token.length > 0;
  const hasSession = typeof req.session === "string" && req.session.length > 0;
  if (hasToken === hasSession) throw invalid("the QR code is missing; scan the code on the locker's screen", "token");
  if (!config.matters.some((m) => m.id === req.matter)) throw invalid(`unknown matter "${String(req.matter).slice(0, 40)}"; pick one from the list`, "matter");
  if (!isMobilePhone(req.phone)) throw invalid("enter an 11-digit mainland mobile number (13… to 19…)", "phone");
  if (req.name !== undefined && (typeof req.name !== "string" || req.name.length > NAME_MAX_CHARS)) throw invalid(`the name may have at most ${NAME_MAX_CHARS} characters`, "name");
  if (req.note !== undefined && (typeof req.note !== "string" || req.note.length > NOTE_MAX_CHARS)) throw invalid(`the note may have at most ${NOTE_MAX_CHARS} characters`, "note");
  if (typeof req.pin !== "string") throw invalid("enter a 6-digit PIN", "pin");
  if (req.consent !== true) throw invalid("please agree to the privacy notice to continue", "consent");
  if (req.scancodeTime !== undefined && (typeof req.scancodeTime !== "number" || !Number.isFinite(req.scancodeTime)))
    throw invalid("scancode_time must be unix seconds", "scancodeTime");
}

export function validateReason(reason: unknown): void {
  if (typeof reason !== "string" || reason.trim().length === 0 || reason.length > REASON_MAX_CHARS)
    throw invalid(`give a reason (1–${REASON_MAX_CHARS} characters); it goes into the audit trail`, "reason");
}

export function requireCompartmentNumber(n: unknown, config: LockerConfig): void {
  if (typeof n !== "number" || !Number.isInteger(n) || !config.compartments.some((c) => c.number === n)) {
    const known = config.compartments.map((c) => c.number).join(", ");
    throw new LockerError(`no compartment ${String(n)}; this locker has ${known}`, ErrorCode.Locker_CompartmentNotFound, { compartment: n });
  }
}
