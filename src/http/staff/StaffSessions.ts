/**
 * Signed-in staff sessions, held in memory (a daemon restart signs everyone
 * out, which is fine for a kiosk). Session ids are 32 random bytes; they expire
 * after `ttlMs` of inactivity on the monotonic clock, and end at once when the
 * staff code is revoked.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../util/clock.js";
import type { StaffMember } from "./StaffStore.js";

export interface StaffSession {
  id: string;
  staffId: string;
  name: string;
  /** Monotonic ms after which the session is gone. */
  expiresAtMono: number;
}

export const STAFF_SESSION_COOKIE = "lockerd_staff";

export class StaffSessions {
  private readonly sessions = new Map<string, StaffSession>();

  /**
   * @param ttlMs idle lifetime of a session, ms (default 15 min).
   * @param isActive asked on every lookup so a revoked code signs out at once.
   */
  constructor(
    private readonly clock: Clock,
    private readonly isActive: (staffId: string) => boolean,
    readonly ttlMs = 15 * 60_000,
  ) {}

  create(member: StaffMember): StaffSession {
    this.sweep();
    const s: StaffSession = { id: randomBytes(32).toString("base64url"), staffId: member.id, name: member.name, expiresAtMono: this.clock.monotonicMs() + this.ttlMs };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session for this id (sliding expiry), or undefined. */
  get(id: string | undefined): StaffSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAtMono <= this.clock.monotonicMs() || !this.isActive(s.staffId)) {
      this.sessions.delete(id);
      return undefined;
    }
    s.expiresAtMono = this.clock.monotonicMs() + this.ttlMs;
    return s;
  }

  /** True while the session is live, without extending it (a live stream must not keep a session alive forever). */
  isLive(id: string): boolean {
    const s = this.sessions.get(id);
    return s !== undefined && s.expiresAtMono > this.clock.monotonicMs() && this.isActive(s.staffId);
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.clock.monotonicMs();
    for (const [id, s] of this.sessions) if (s.expiresAtMono <= now) this.sessions.delete(id);
  }
}
