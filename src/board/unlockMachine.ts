/**
 * The unlock of one lock as a pure state machine (no I/O, no timers):
 * pulse → (reply | lost) → verify by query when needed → success | failure.
 * An unlock is never re-sent blindly: after a lost or refused reply the lock
 * is queried first, and a second pulse goes out only if it still reads shut.
 * `BoardClient.unlock` performs the effects; `unlockError` maps failures.
 */
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export type UnlockState =
  | { name: "pulsing"; pulses: number }
  | { name: "verifying"; pulses: number; replyLost: boolean }
  | { name: "success"; pulses: number; acknowledged: boolean }
  | { name: "failure"; pulses: number; reason: UnlockFailure };

export type UnlockFailure =
  /** Still shut after every allowed pulse. */
  | "stillShut"
  /** The reply and the verification query were both lost: outcome unknown. */
  | "outcomeUnknown";

export type UnlockEvent =
  /** The board answered the pulse; `released` = its status byte says the latch let go (after polarity). */
  | { type: "reply"; released: boolean }
  /** The pulse went out to a board that never answers one (Kerong): verify by status reads. */
  | { type: "sent" }
  /** No answer to the pulse (or only our own bytes came back). */
  | { type: "replyLost" }
  /** The verification query answered. */
  | { type: "verified"; shut: boolean }
  | { type: "verifyLost" };

export type UnlockEffect = { do: "pulse" } | { do: "verify" } | { do: "finish" };

export const initialUnlockState: UnlockState = { name: "pulsing", pulses: 1 };

/** Next state for an event; `maxPulses` is `attempts.unlock` (1–2). */
export function nextUnlockState(s: UnlockState, e: UnlockEvent, maxPulses: number): UnlockState {
  if (s.name === "pulsing") {
    if (e.type === "reply" && e.released) return { name: "success", pulses: s.pulses, acknowledged: true };
    if (e.type === "reply" || e.type === "sent") return { name: "verifying", pulses: s.pulses, replyLost: false };
    if (e.type === "replyLost") return { name: "verifying", pulses: s.pulses, replyLost: true };
  }
  if (s.name === "verifying") {
    if (e.type === "verified" && !e.shut) return { name: "success", pulses: s.pulses, acknowledged: false };
    if (e.type === "verified" && s.pulses < maxPulses) return { name: "pulsing", pulses: s.pulses + 1 };
    if (e.type === "verified") return { name: "failure", pulses: s.pulses, reason: "stillShut" };
    if (e.type === "verifyLost") return { name: "failure", pulses: s.pulses, reason: "outcomeUnknown" };
  }
  return s;
}

/** What the effect loop must do in a state. */
export function effectOf(s: UnlockState): UnlockEffect {
  if (s.name === "pulsing") return { do: "pulse" };
  if (s.name === "verifying") return { do: "verify" };
  return { do: "finish" };
}

/** The one place an unlock failure becomes an error. */
export function unlockError(reason: UnlockFailure, ctx: { board: number; channel: number; pulses: number }): LockerError {
  const where = `lock ch${ctx.channel} on board ${ctx.board}`;
  if (reason === "stillShut")
    return new LockerError(`${where} did not release after ${ctx.pulses} pulse(s); it still reads shut (jammed bolt, wiring or feedback polarity)`, ErrorCode.Board_LockFault, ctx);
  return new LockerError(`${where}: no reply to the unlock and no reply to the check query; the door may or may not have opened`, ErrorCode.Board_NoReply, ctx);
}
