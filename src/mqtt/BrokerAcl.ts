/**
 * Who may do what on the embedded broker (pure decisions; embeddedBroker.ts
 * wires them into aedes). Under `<prefix>/<lockerId>/`:
 *
 * | who | connects with | publish | receives |
 * |---|---|---|---|
 * | the locker | client id = user = lockerId, the generated password | everything but `cmd/…` | everything |
 * | `command` users | their user name and password | `cmd/<verb>`, `check/…` | everything |
 * | `read` users (and anonymous when `mqtt.embeddedAnonymous` is `read`) | | `check/…` only | everything but `cmd/…` |
 *
 * Nobody but the locker may use the locker's client id, so a second
 * connection can neither kick it off (MQTT's client-id takeover) nor fake its
 * last will. `check/…` is open to everyone so `lockerctl mqtt-check` works.
 */
import { timingSafeEqual, createHash } from "node:crypto";

export type BrokerRights = "locker" | "command" | "read";

export interface BrokerUser {
  username: string;
  password: string;
  rights: "command" | "read";
}

export interface BrokerAclOptions {
  lockerId: string;
  /** The locker's own password (generated at first start, file mode 0600). */
  lockerPassword: string;
  /** `<prefix>/<lockerId>` */
  base: string;
  users: readonly BrokerUser[];
  /** What a client without a user name gets: nothing, or read-only. */
  anonymous: "none" | "read";
}

/** CONNACK return codes (MQTT 3.1.1 §3.2.2.3). */
export const IDENTIFIER_REJECTED = 2;
export const BAD_USERNAME_OR_PASSWORD = 4;
export const NOT_AUTHORIZED = 5;

export type AuthResult = { ok: true; rights: BrokerRights; user: string } | { ok: false; returnCode: number; why: string };

export class BrokerAcl {
  constructor(private readonly o: BrokerAclOptions) {}

  /** Decide a CONNECT. */
  authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): AuthResult {
    const o = this.o;
    if (clientId === o.lockerId || username === o.lockerId) {
      if (clientId === o.lockerId && username === o.lockerId && same(password, o.lockerPassword)) return { ok: true, rights: "locker", user: username };
      return { ok: false, returnCode: IDENTIFIER_REJECTED, why: `only the locker itself may connect as "${o.lockerId}"` };
    }
    if (username === undefined || username === "") {
      if (o.anonymous === "read") return { ok: true, rights: "read", user: "anonymous" };
      return { ok: false, returnCode: NOT_AUTHORIZED, why: "anonymous clients are not allowed (mqtt.embeddedAnonymous is none)" };
    }
    // Compare against every user so timing does not tell which names exist.
    let found: BrokerUser | undefined;
    for (const u of o.users) if (u.username === username && same(password, u.password)) found = u;
    if (!found) return { ok: false, returnCode: BAD_USERNAME_OR_PASSWORD, why: `wrong user name or password for "${username}"` };
    return { ok: true, rights: found.rights, user: found.username };
  }

  /** May a client with `rights` publish on `topic` (live or as its last will)? */
  mayPublish(rights: BrokerRights, topic: string): boolean {
    const rel = this.relative(topic);
    if (rel === undefined) return false; // nothing outside this locker's tree
    if (rel.startsWith("check/")) return true;
    if (rights === "locker") return !rel.startsWith("cmd/");
    if (rights === "command") return /^cmd\/[A-Za-z0-9_-]+$/.test(rel);
    return false;
  }

  /** May a message on `topic` be delivered to a client with `rights`? */
  mayReceive(rights: BrokerRights, topic: string): boolean {
    const rel = this.relative(topic);
    if (rel === undefined) return true; // nobody may publish there anyway
    return rights !== "read" || !rel.startsWith("cmd/");
  }

  private relative(topic: string): string | undefined {
    const head = `${this.o.base}/`;
    return topic.startsWith(head) ? topic.slice(head.length) : undefined;
  }
}

/** Constant-time password check (hash first so lengths do not leak). */
function same(given: Buffer | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
