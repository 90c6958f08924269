/**
 * Form sessions and proof of presence. Opening the kiosk's QR link on a phone
 * claims its one-time token and starts a session for the resident's form
 * (`rules.formSessionMs`, default 15 min: the token itself lives two
 * minutes, too short for slow hands). The same session proves, for
 * `rules.presenceMs` after the kiosk's screen minted the token, that the
 * resident stands at the locker: the phone page's pickup needs it. A back
 * office proves presence with the scanned link itself (`presenceOfLink`).
 *
 * Sessions live in memory on the monotonic clock: a restart ends them, and
 * the page then keeps what was typed and asks for a new scan.
 */
import { randomBytes } from "node:crypto";
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { FormSessionView } from "./LockerApi.js";
import type { QrLink } from "./QrLink.js";
import type { ParsedToken } from "./QrTokens.js";

interface Session {
  id: string;
  /** Monotonic ms when the form may no longer be submitted. */
  expiresMono: number;
  /** Monotonic ms until which a pickup with this session counts as at the locker. */
  presenceUntilMono: number;
}

/** Sessions kept at most; the oldest are dropped first (each costs one scanned, single-use QR). */
const MAX_SESSIONS = 2_000;

export class FormSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly qr: QrLink,
    private readonly config: LockerConfig,
    private readonly clock: Clock,
    /** Runs the token claim as one transaction (the ledger's: a disk that refuses it answers Store_Unwritable). */
    private readonly write: (fn: () => void) => void = (fn) => fn(),
  ) {}

  /** Claim the scanned link (token or WeChat `q`) and start a session; the kiosk's QR rotates. */
  open(link: string, scancodeTime?: number): FormSessionView {
    const token = this.qr.verify(link, scancodeTime);
    const id = randomBytes(16).toString("base64url");
    this.write(() => this.qr.tokens.claim(token, `session:${id}`));
    this.qr.rotate(); // single use: the kiosk shows a fresh code for the next resident
    const now = this.clock.monotonicMs();
    const s: Session = { id, expiresMono: now + this.config.rules.formSessionMs, presenceUntilMono: now + this.presenceLeftMs(token) };
    this.prune(now);
    this.sessions.set(id, s);
    return this.view(s, now);
  }

  /** The session's time left; Locker_FormSessionExpired once it lapsed (or after a restart). */
  get(id: string): FormSessionView {
    const now = this.clock.monotonicMs();
    return this.view(this.require(id, now), now);
  }

  /** Check that `id` may still submit the form (before any PIN hash). */
  requireLive(id: string): void {
    this.require(id, this.clock.monotonicMs());
  }

  /** Check that `id` still proves presence at the locker (Locker_PresenceRequired when too old). */
  requirePresence(id: string): void {
    const now = this.clock.monotonicMs();
    const s = this.require(id, now);
    if (now > s.presenceUntilMono) throw stale(this.config.rules.presenceMs);
  }

  /** The form was used (a drop-off started): the session ends. */
  end(id: string): void {
    this.sessions.delete(id);
  }

  /**
   * A back office's proof of presence: the link the resident scanned at the
   * locker, minted by this locker's screen within `rules.presenceMs`. Returns
   * the token to claim once the pickup opened a door.
   */
  presenceOfLink(link: string, scancodeTime?: number): ParsedToken {
    let token: ParsedToken;
    try {
      token = this.qr.verify(link, scancodeTime);
    } catch (err) {
      throw new LockerError(`no valid proof of presence: ${(err as Error).message}`, ErrorCode.Locker_PresenceRequired);
    }
    if (this.presenceLeftMs(token) <= 0) throw stale(this.config.rules.presenceMs);
    return token;
  }

  /** Presence left: by the wall clock and by monotonic age, whichever is less (a corrected wall clock must not stretch it). */
  private presenceLeftMs(token: ParsedToken): number {
    const mintedAt = token.expiresAtWallMs - this.config.rules.tokenTtlMs;
    const { presenceMs } = this.config.rules;
    return Math.max(0, Math.min(mintedAt + presenceMs - this.clock.wallMs(), presenceMs - token.ageMs));
  }

  private require(id: string, now: number): Session {
    const s = this.sessions.get(id);
    if (!s || now > s.expiresMono) {
      if (s) this.sessions.delete(id);
      throw new LockerError("the form's session has lapsed (or the locker restarted); scan the locker's QR code again", ErrorCode.Locker_FormSessionExpired);
    }
    return s;
  }

  private view(s: Session, now: number): FormSessionView {
    return { session: s.id, remainingMs: Math.max(0, Math.round(s.expiresMono - now)), presenceRemainingMs: Math.max(0, Math.round(s.presenceUntilMono - now)) };
  }

  private prune(now: number): void {
    for (const [id, s] of this.sessions) if (now > s.expiresMono) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }
}

function stale(presenceMs: number): LockerError {
  return new LockerError(
    `pickup needs a QR code scanned at the locker within the last ${Math.round(presenceMs / 60_000)} minutes; scan the locker's QR code again`,
    ErrorCode.Locker_PresenceRequired,
  );
}
