/**
 * Decides and runs one remote command from `cmd/<name>`. Checks, in order:
 * known verb → readable payload → signature → trusted wall clock →
 * timestamp window → single-use id → compartment exists → hourly open cap.
 * Only a command that passes all of them reaches the locker, so a refused one
 * never puts a frame on the serial line. Every command, accepted or refused,
 * lands in the audit trail with its reason.
 */
import type { Logger } from "pino";
import { ErrorCode, isLockerDomainError, isLockerError } from "../errors/LockerError.js";
import type { Actor, LockerApi } from "../locker/LockerApi.js";
import type { Clock } from "../util/clock.js";
import { REASON_MAX_CHARS } from "../rules/limits.js";
import type { CommandLedger } from "./CommandLedger.js";
import { verifyCommand } from "./commandSigning.js";
import { COMMAND_NAMES, type CommandName, type CommandResult, type SignedCommand } from "./topics.js";

export interface CommandHandlerOptions {
  lockerId: string;
  secret: string;
  /** Accepted clock skew either way, seconds. */
  windowSeconds: number;
  maxOpensPerHour: number;
  /** Compartment numbers that exist in config. */
  compartments: readonly number[];
  ledger: CommandLedger;
  locker: LockerApi;
  clock: Clock;
  log: Logger;
}

class Refusal {
  constructor(readonly reason: string, readonly code: ErrorCode, readonly message: string) {}
}

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
/** A real command is ~250 bytes; anything far larger is not parsed at all. */
const MAX_PAYLOAD_BYTES = 4096;

export class CommandHandler {
  constructor(private readonly o: CommandHandlerOptions) {}

  /** Handle the payload received on `cmd/<name>`; always resolves with the answer for `cmd-result`. */
  async handle(name: string, payload: Buffer, opts: { retained?: boolean } = {}): Promise<CommandResult> {
    let cmd: Partial<SignedCommand> = {};
    const actor = (): Actor => ({ kind: "remote", id: typeof cmd.id === "string" ? cmd.id.slice(0, 64) : "unknown", via: "mqtt" });
    try {
      cmd = parseObject(payload);
      if (opts.retained) {
        // A retained command would be replayed to us on every reconnect.
        throw new Refusal("retained", ErrorCode.Locker_CommandRefused, "commands must be published without the retain flag; clear it by publishing an empty retained message on this topic");
      }
      this.validate(name, cmd);
      const verb = name as CommandName;
      const wall = this.check(verb, cmd as SignedCommand);
      return await this.run(verb, cmd as SignedCommand, wall, actor());
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      this.o.log.warn({ command: name, id: cmd.id, reason: err.reason }, "remote command refused");
      this.o.locker.recordAudit(actor(), `mqtt.${safeVerb(name)}`, "refused", {
        reason: `${err.reason}: ${err.message}`,
        compartment: typeof cmd.compartment === "number" ? cmd.compartment : undefined,
      });
      return { id: typeof cmd.id === "string" ? cmd.id.slice(0, 64) : null, command: safeVerb(name), status: "refused", code: err.code, reason: err.reason, message: err.message };
    }
  }

  private validate(name: string, cmd: Partial<SignedCommand>): void {
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
      throw new Refusal("unknown-command", ErrorCode.Locker_CommandRefused, `unknown command "${safeVerb(name)}"; known: ${COMMAND_NAMES.join(", ")}`);
    }
    const c = cmd as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof c.id !== "string" || !ID_RE.test(c.id)) problems.push("id must be 8–64 characters of A-Z a-z 0-9 _ -");
    if (typeof c.ts !== "number" || !Number.isInteger(c.ts)) problems.push("ts must be unix seconds (integer)");
    if (typeof c.sig !== "string") problems.push("sig must be the hex HMAC-SHA256");
    const needsCompartment = name !== "ping";
    if (needsCompartment && (typeof c.compartment !== "number" || !Number.isInteger(c.compartment))) problems.push(`${name} needs one compartment number`);
    if (!needsCompartment && c.compartment !== undefined) problems.push("ping takes no compartment");
    if (Array.isArray(c.compartment)) problems.push("one compartment per command");
    const needsReason = name === "open" || name === "disable";
    if (needsReason && (typeof c.reason !== "string" || c.reason.trim().length === 0 || c.reason.length > REASON_MAX_CHARS)) problems.push(`${name} needs a reason (1–${REASON_MAX_CHARS} characters)`);
    if (c.reason !== undefined && typeof c.reason !== "string") problems.push("reason must be text");
    const extra = Object.keys(c).filter((k) => !["id", "ts", "sig", "compartment", "reason"].includes(k));
    if (extra.length) problems.push(`unknown field(s): ${extra.join(", ")}`);
    if (problems.length) {
      throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, problems.join("; "));
    }
  }

  /** Every refusal rule; returns the wall time used. */
  private check(name: CommandName, cmd: SignedCommand): number {
    const o = this.o;
    if (!verifyCommand(o.secret, o.lockerId, name, cmd)) {
      throw new Refusal("bad-signature", ErrorCode.Locker_Unauthorized, "signature does not match; sign the canonical form with this locker's secret (see lockerctl sign)");
    }
    if (!o.clock.wallClockTrusted()) {
      throw new Refusal("clock-unsynced", ErrorCode.Locker_ClockUnsynced, "the locker's clock is not synchronised yet, so the command's time cannot be checked; retry once NTP has synced");
    }
    const wall = o.clock.wallMs();
    const skewS = Math.round(wall / 1000 - cmd.ts);
    if (Math.abs(skewS) > o.windowSeconds) {
      throw new Refusal("stale-timestamp", ErrorCode.Locker_CommandRefused, `timestamp is ${skewS}s away from the locker's clock (window ±${o.windowSeconds}s); sign a fresh command`);
    }
    if (name !== "ping" && !o.compartments.includes(cmd.compartment!)) {
      throw new Refusal("unknown-compartment", ErrorCode.Locker_CompartmentNotFound, `there is no compartment ${cmd.compartment} (have ${o.compartments.join(", ")})`);
    }
    if (!o.ledger.claim(cmd.id, name, wall)) {
      throw new Refusal("replayed-id", ErrorCode.Locker_CommandRefused, `command id ${cmd.id} was already used; every command needs a new id`);
    }
    if (name === "open") {
      const used = o.ledger.opensInLastHour(wall) - 1; // minus this one, just claimed
      if (used >= o.maxOpensPerHour) {
        o.ledger.settle(cmd.id, "refused");
        throw new Refusal("open-cap-reached", ErrorCode.Locker_Throttled, `remote opens are capped at ${o.maxOpensPerHour} per hour and the cap is reached; open it on site or wait`);
      }
    }
    o.ledger.forgetBefore(wall, 2 * o.windowSeconds * 1000);
    return wall;
  }

  private async run(name: CommandName, cmd: SignedCommand, wall: number, actor: Actor): Promise<CommandResult> {
    const o = this.o;
    const base = { id: cmd.id, command: name };
    try {
      let data: Record<string, unknown> | undefined;
      if (name === "open") data = { ...(await o.locker.staffOpen(cmd.compartment!, cmd.reason!, actor)) };
      else if (name === "disable") o.locker.disable(cmd.compartment!, cmd.reason!, actor);
      else if (name === "enable") o.locker.enable(cmd.compartment!, actor);
      else {
        o.locker.recordAudit(actor, "mqtt.ping", "ok", { reason: "ping" });
        data = { pong: true, lockerTime: new Date(wall).toISOString() };
      }
      o.ledger.settle(cmd.id, "ok");
      o.log.info({ command: name, id: cmd.id, compartment: cmd.compartment }, "remote command done");
      return { ...base, status: "ok", ...(data ? { data } : {}) };
    } catch (err) {
      o.ledger.settle(cmd.id, "error");
      o.log.warn({ command: name, id: cmd.id, err }, "remote command failed");
      const code = isLockerError(err) ? err.code : ErrorCode.Locker_CommandRefused;
      const status = isLockerDomainError(err) ? "refused" : "error";
      return { ...base, status, code, reason: isLockerError(err) ? (ErrorCode[err.code] ?? "error") : "error", message: (err as Error).message };
    }
  }
}

/** The payload as a JSON object (its fields still unchecked). */
function parseObject(payload: Buffer): Partial<SignedCommand> {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, `payload is ${payload.length} bytes; a command is at most ${MAX_PAYLOAD_BYTES}`);
  let v: unknown;
  try {
    v = JSON.parse(payload.toString("utf8"));
  } catch {
    throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload is not JSON");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload must be a JSON object");
  return v as Partial<SignedCommand>;
}

/** A verb safe to echo into logs and the audit trail. */
function safeVerb(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "?").slice(0, 32);
}
