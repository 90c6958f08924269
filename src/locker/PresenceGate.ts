/**
 * Pickup only at the locker. Before any PIN is looked at, a pickup must show
 * it is asked for at the locker: the kiosk keypad (its own listener), a form
 * session the phone opened with the kiosk's QR, or, from a back office, the
 * link the resident just scanned. Refusals cost no PIN attempt and no hash;
 * they are audited at most once a minute per client (a flood of them from
 * one address is the HTTP rate limit's business, not the SD card's).
 */
import { ErrorCode, isLockerError, LockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { FormSessions } from "./FormSessions.js";
import type { Actor, Presence } from "./LockerApi.js";
import type { QrLink } from "./QrLink.js";

const AUDIT_EVERY_MS = 60_000;
const MAX_TRACKED_CLIENTS = 10_000;

export class PresenceGate {
  private readonly lastAudit = new Map<string, number>();

  constructor(
    private readonly sessions: FormSessions,
    private readonly qr: QrLink,
    private readonly clock: Clock,
    private readonly audit: (actor: Actor, reason: string, detail: Record<string, unknown>) => void,
    private readonly log: (err: unknown) => void,
  ) {}

  /**
   * Admit a pickup or throw Locker_PresenceRequired / Locker_FormSessionExpired.
   * Returns what to do once a door opened (a back office's link is then used up).
   */
  admit(actor: Actor, presence: Presence | undefined): () => void {
    try {
      if (presence?.kind === "kiosk" || (presence === undefined && actor.via === "kiosk")) return () => {};
      if (presence?.kind === "session") {
        this.sessions.requirePresence(presence.session);
        return () => {};
      }
      if (presence?.kind === "link") {
        const token = this.sessions.presenceOfLink(presence.link, presence.scancodeTime);
        return () => {
          try {
            this.qr.tokens.claim(token, "pickup");
            this.qr.rotate(); // the kiosk shows a fresh code for the next resident
          } catch (err) {
            this.log(err); // used meanwhile by another pickup or a drop-off: the door is open already
          }
        };
      }
      throw new LockerError("a pickup away from the locker's screen needs its QR code scanned at the locker (proof of presence)", ErrorCode.Locker_PresenceRequired);
    } catch (err) {
      if (isLockerError(err) && (err.code === ErrorCode.Locker_PresenceRequired || err.code === ErrorCode.Locker_FormSessionExpired)) this.note(actor, presence, err);
      throw err;
    }
  }

  private note(actor: Actor, presence: Presence | undefined, err: LockerError): void {
    const client = actor.client ?? `${actor.via}:${actor.id}`;
    const now = this.clock.monotonicMs();
    const last = this.lastAudit.get(client);
    if (last !== undefined && now - last < AUDIT_EVERY_MS) return;
    if (this.lastAudit.size >= MAX_TRACKED_CLIENTS) this.lastAudit.clear();
    this.lastAudit.set(client, now);
    this.audit(actor, `no proof of presence: ${err.message}`, { presence: presence?.kind ?? "none", code: ErrorCode[err.code] });
  }
}
