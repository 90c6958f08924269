/**
 * Resident pickup with phone + PIN. Order matters: input shape, a full
 * network hash queue (Locker_Busy: nothing looked up, not counted as a wrong
 * PIN), then the cheap throttle lookups, and only then the scrypt hashes — so
 * a flood of guesses is refused before it can burn the CPU. An unknown phone and a wrong
 * PIN get the same answer and cost the same hash. Attempts run one at a time
 * per phone and per client, so concurrent guesses cannot all slip past the
 * lockout check while the first hash is still running. Lockout refusals are
 * audited in aggregate (ThrottledRefusals), not with one fsync'd row each.
 * The hashes go through the PIN hash budget: a check typed on the locker's
 * own screen goes ahead of every network check, and a full network queue is
 * refused before any hash (Locker_Busy, not counted as a wrong PIN).
 * A case frozen by too many wrong PINs raises a `case-frozen` alarm; the
 * locker's screen then tells the resident to ask staff (a network client
 * gets the usual answer, which does not reveal that the phone has a case).
 */
import { randomInt } from "node:crypto";
import type { PinPolicyConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { isMobilePhone, maskPhone } from "../rules/phone.js";
import type { Case } from "./Case.js";
import type { CaseTransitions } from "./CaseTransitions.js";
import type { DoorOpener } from "./DoorOpener.js";
import type { Actor, DoorOpened } from "./LockerApi.js";
import { hashPin, refuseWhenHashQueueFull, verifyPin, type CheckOrigin } from "./pins.js";
import { caseMustFreeze } from "./pinPolicy.js";
import type { PinThrottle } from "./PinThrottle.js";
import { KeyedSerial } from "./KeyedSerial.js";
import type { ThrottledRefusals } from "./ThrottledRefusals.js";
import type { PinPepper } from "../store/PinPepper.js";

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
    private readonly pepper?: PinPepper,
  ) {}

  async pickup(phone: string, pin: string, actor: Actor): Promise<DoorOpened[]> {
    if (!isMobilePhone(phone)) throw new LockerError("enter the 11-digit mobile number you gave at drop-off", ErrorCode.Locker_InvalidInput, { field: "phone" });
    if (typeof pin !== "string" || !/^\d{6}$/.test(pin)) throw new LockerError("enter your 6-digit PIN", ErrorCode.Locker_InvalidInput, { field: "pin" });
    const client = actor.client ?? `${actor.via}:${actor.id}`;
    // A flood fills the network queue: its guesses are then refused here, before they wait their turn, look anything up or hash.
    if (!actor.screen) refuseWhenHashQueueFull({ priority: "network", client });
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

    const collectable = this.t.ledger.cases.collectableByPhone(phone);
    const ready = collectable.filter((c) => c.state === "ready" && c.pinHash);
    const matched: Case[] = [];
    const origin: CheckOrigin = actor.screen ? { priority: "screen" } : { priority: "network", client };
    if (ready.length === 0) await verifyPin(pin, await this.dummyHash(), origin, this.pepper);
    for (const c of ready) if (await verifyPin(pin, c.pinHash!, origin, this.pepper)) matched.push(c);

    if (matched.length === 0) {
      const froze = this.fail(phone, client, ready, actor);
      // Only the locker's own screen (a person standing there) learns that a case is frozen.
      if (actor.screen && (froze || collectable.some((c) => c.state === "frozen"))) {
        throw new LockerError("too many wrong PINs: this case is locked until staff reset its PIN; please ask the staff at the centre", ErrorCode.Locker_CaseFrozen);
      }
      // The refusal that starts a lockout says how long it lasts, so the kiosk can say so (and until when)
      // at once instead of "try again". Every phone locks out alike, with or without a case: this tells nothing.
      const lockMs = this.throttle.retryAfterMs(phone, client);
      throw new LockerError(PICKUP_REFUSED_MESSAGE, ErrorCode.Locker_PickupRefused, lockMs > 0 ? { retryAfterS: Math.ceil(lockMs / 1000) } : {});
    }
    this.t.ledger.commit(() => this.throttle.recordSuccess(phone));
    // Every matched case opens at once (the bus still sends one frame at a time): opened one after the
    // other, a resident who took the first pouch could walk away before the second door opened.
    const results = await Promise.allSettled(matched.map((c) => this.opener.openHeld(this.t.ledger.cases.get(c.id)!, "pickup", actor)));
    const opened = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (opened.length === 0 && failed) throw failed.reason;
    return opened;
  }

  /** Count the failure everywhere; true when it froze a case. */
  private fail(phone: string, client: string, ready: Case[], actor: Actor): boolean {
    let froze = false;
    this.t.ledger.commit((tx) => {
      const out = this.throttle.recordFailure(phone, client);
      for (const c of ready) {
        const failures = c.failedPins + 1;
        this.t.touchCase(tx, c.id, { failedPins: failures });
        if (caseMustFreeze(failures, this.policy)) {
          this.t.moveCase(tx, c, "pinCapReached", {}, actor);
          froze = true;
          // Staff must know: the resident cannot collect until they reset the PIN.
          this.t.alarm(tx, "case-frozen", `case ${c.number} is frozen after ${failures} wrong PINs; reset its PIN when the resident asks (check who they are)`, {
            caseId: c.id,
            caseNumber: c.number,
            ...(c.compartment ? { compartment: c.compartment } : {}),
            detail: { phone: maskPhone(phone), failures },
          });
        }
      }
      tx.audit(actor, "pickup", "refused", {
        reason: "wrong PIN or unknown phone",
        detail: { phone: maskPhone(phone), lockoutMs: out.phoneLockMs, clientFailures: out.clientFailures },
      });
      if (out.burst) {
        this.t.alarm(tx, "pin-burst", `${out.clientFailures} wrong PINs from ${client} within ${Math.round(this.policy.burstWindowMs / 1000)} s`, { detail: { client } });
      }
      if (out.globalBurst) {
        this.t.alarm(
          tx,
          "pin-burst",
          `${out.globalFailures} wrong PINs from all clients together within ${Math.round(this.policy.burstWindowMs / 1000)} s (a guessing flood spread over many addresses)`,
          { detail: { scope: "global", failures: out.globalFailures } },
        );
      }
    });
    return froze;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hashPin(String(randomInt(0, 1_000_000)).padStart(6, "0"), this.policy.scryptCost, this.pepper);
    return this.dummy;
  }
}

function formatWait(s: number): string {
  return s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
}
