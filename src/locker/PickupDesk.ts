/**
 * Resident pickup with phone + PIN. Order matters: input shape, then the
 * cheap throttle lookups, and only then the scrypt hashes — so a flood of
 * guesses is refused before it can burn the CPU. An unknown phone and a wrong
 * PIN get the same answer and cost the same hash. Attempts run one at a time
 * per phone and per client, so concurrent guesses cannot all slip past the
 * lockout check while the first hash is still running. Lockout refusals are
 * audited in aggregate (ThrottledRefusals), not with one fsync'd row each.
 */
import { randomInt } from "node:crypto";
import type { PinPolicyConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { isMobilePhone, maskPhone } from "../rules/phone.js";
import type { Case } from "./Case.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorOpener } from "./DoorOpener.js";
import type { Actor, DoorOpened } from "./LockerApi.js";
import { hashPin, verifyPin } from "./pins.js";
import { caseMustFreeze } from "./pinPolicy.js";
import type { PinThrottle } from "./PinThrottle.js";
import { KeyedSerial } from "./KeyedSerial.js";
import type { ThrottledRefusals } from "./ThrottledRefusals.js";

/** The one answer to a wrong PIN, an unknown phone, or a frozen case. */
export const PICKUP_REFUSED_MESSAGE = "the phone number or PIN was not accepted. Check both and try again; if it keeps failing, please ask the staff at the centre";

export class PickupDesk {
  private dummy: Promise<string> | undefined;
  private readonly serial = new KeyedSerial();

  constructor(
    private readonly t: CaseTransitions,
    private readonly opener: DoorOpener,
    private readonly throttle: PinThrottle,
    private readonly policy: PinPolicyConfig,
    private readonly refusals: ThrottledRefusals,
  ) {}

  async pickup(phone: string, pin: string, actor: Actor): Promise<DoorOpened[]> {
    if (!isMobilePhone(phone)) throw new LockerError("enter the 11-digit mobile number you gave at drop-off", ErrorCode.Locker_InvalidInput, { field: "phone" });
    if (typeof pin !== "string" || !/^\d{6}$/.test(pin)) throw new LockerError("enter your 6-digit PIN", ErrorCode.Locker_InvalidInput, { field: "pin" });
    const client = actor.client ?? `${actor.via}:${actor.id}`;
    return this.serial.run([`phone:${phone}`, `client:${client}`], () => this.attempt(phone, pin, client, actor));
  }

  private async attempt(phone: string, pin: string, client: string, actor: Actor): Promise<DoorOpened[]> {
    const waitMs = this.throttle.retryAfterMs(phone, client);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      this.refusals.note(actor, client, maskPhone(phone), retryAfterS);
      throw new LockerError(`too many wrong attempts; please wait ${formatWait(retryAfterS)} and try again`, ErrorCode.Locker_Throttled, { retryAfterS });
    }
    this.t.requireOnline();

    const ready = this.t.ledger.cases.collectableByPhone(phone).filter((c) => c.state === "ready" && c.pinHash);
    const matched: Case[] = [];
    if (ready.length === 0) await verifyPin(pin, await this.dummyHash());
    for (const c of ready) if (await verifyPin(pin, c.pinHash!)) matched.push(c);

    if (matched.length === 0) {
      this.fail(phone, client, ready, actor);
      throw new LockerError(PICKUP_REFUSED_MESSAGE, ErrorCode.Locker_PickupRefused);
    }
    this.t.ledger.commit(() => this.throttle.recordSuccess(phone));
    const opened: DoorOpened[] = [];
    let lastError: unknown;
    for (const c of matched) {
      try {
        opened.push(await this.opener.openHeld(this.t.ledger.cases.get(c.id)!, "pickup", actor));
      } catch (err) {
        lastError = err;
      }
    }
    if (opened.length === 0) throw lastError;
    return opened;
  }

  private fail(phone: string, client: string, ready: Case[], actor: Actor): void {
    this.t.ledger.commit((tx) => {
      const out = this.throttle.recordFailure(phone, client);
      for (const c of ready) {
        const failures = c.failedPins + 1;
        this.t.touchCase(tx, c.id, { failedPins: failures });
        if (caseMustFreeze(failures, this.policy)) this.t.moveCase(tx, c, "pinCapReached", {}, actor);
      }
      tx.audit(actor, "pickup", "refused", { reason: "wrong PIN or unknown phone", detail: { phone: maskPhone(phone), lockoutMs: out.phoneLockMs, clientFailures: out.clientFailures } });
      if (out.burst) {
        this.t.alarm(tx, "pin-burst", `${out.clientFailures} wrong PINs from ${client} within ${Math.round(this.policy.burstWindowMs / 1000)} s`, { detail: { client } });
      }
    });
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hashPin(String(randomInt(0, 1_000_000)).padStart(6, "0"), this.policy.scryptCost);
    return this.dummy;
  }
}

function formatWait(s: number): string {
  return s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
}
