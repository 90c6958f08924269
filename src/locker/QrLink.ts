/**
 * The kiosk's drop-off QR link: issued from `QrTokens`, rotated on a timer and
 * after each use, announced on the bus (`qrRotated`), and checked for the
 * drop-off page. Drop-off claims the token inside its case transaction.
 */
import type { LockerConfig } from "../config/LockerConfig.js";
import { isLockerError } from "../errors/LockerError.js";
import type { Clock } from "../util/clock.js";
import type { DomainEvents } from "./events.js";
import type { ParsedToken, QrTokens } from "./QrTokens.js";

export interface DropoffLink {
  url: string;
  token: string;
  expiresAtWallMs: number;
}

export class QrLink {
  private link: DropoffLink | undefined;
  /** Monotonic ms when `link` was minted. */
  private mintedMono = 0;

  constructor(
    readonly tokens: QrTokens,
    private readonly config: LockerConfig,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /**
   * The current link, rotated first when a quarter of its lifetime or less is left, by the wall clock or
   * by monotonic time since it was minted (a wall clock corrected backwards must not keep an old link up).
   */
  current(): DropoffLink {
    const quarter = this.config.rules.tokenTtlMs / 4;
    if (!this.link || this.link.expiresAtWallMs - this.clock.wallMs() < quarter || this.clock.monotonicMs() - this.mintedMono > 3 * quarter) this.rotate();
    return this.link!;
  }

  /** Validate a token without using it. */
  check(token: string): { ok: true; expiresAtWallMs: number } | { ok: false; code: number; message: string } {
    try {
      return { ok: true, expiresAtWallMs: this.tokens.verify(token).expiresAtWallMs };
    } catch (err) {
      if (isLockerError(err)) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }

  /** Verify a token a drop-off is about to use (`scancodeTime`: unix seconds of a WeChat scan). */
  verify(token: string, scancodeTime?: number): ParsedToken {
    return this.tokens.verify(token, scancodeTime);
  }

  /** Issue a new kiosk QR link and announce it (`qrRotated`). Needs a trusted wall clock (else Locker_ClockUnsynced). */
  rotate(): void {
    const t = this.tokens.issue();
    const url = `${this.config.publicBaseUrl.replace(/\/+$/, "")}/d/${t.token}`;
    this.link = { url, token: t.token, expiresAtWallMs: t.expiresAtWallMs };
    this.mintedMono = this.clock.monotonicMs();
    this.events.emit("qrRotated", { url, expiresAtWallMs: t.expiresAtWallMs });
  }
}
