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
import type { CommandLedger } from "./CommandLedger.js";
import { verifyCommand } from "./commandSigning.js";
import { commandProblems, isIntegerIn, VERB_FIELDS, COMPARTMENT_MAX, COMPARTMENT_MIN } from "./commandValidation.js";
import type { RefusalDigest } from "./RefusalDigest.js";
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
  /** Rate limit for refusal audit rows and log lines (a flood is counted and summarised). */
  digest?: RefusalDigest;
}

class Refusal {
  constructor(
    readonly reason: string,
    readonly code: ErrorCode,
    readonly message: string,
  ) {}
}

/** A real command is ~250 bytes; anything far larger is not parsed at all. */
const MAX_PAYLOAD_BYTES = 4096;

export class CommandHandler {
  constructor(private readonly o: CommandHandlerOptions) {}

  /**
   * Handle the payload received on `cmd/<name>`; always resolves with the one
   * answer for `cmd-result`, and leaves exactly one audit row (or, past the
   * refusal rate limit, one count in the next summary row), whatever the payload.
   */
  async handle(name: string, payload: Buffer, opts: { retained?: boolean } = {}): Promise<CommandResult> {
    let cmd: Partial<SignedCommand> = {};
    const id = (): string | null => (typeof cmd.id === "string" && COMMAND_ID_SAFE.test(cmd.id) ? cmd.id : null);
    const actor = (): Actor => ({ kind: "remote", id: id() ?? "unknown", via: "mqtt" });
    try {
      cmd = parseObject(payload);
      if (opts.retained) {
        // A retained command would be replayed to us on every reconnect.
        throw new Refusal(
          "retained",
          ErrorCode.Locker_CommandRefused,
          "commands must be published without the retain flag; clear it by publishing an empty retained message on this topic",
        );
      }
      this.validate(name, cmd);
      const verb = name as CommandName;
      const wall = this.check(verb, cmd as SignedCommand);
      return await this.run(verb, cmd as SignedCommand, wall, actor());
    } catch (err) {
      if (err instanceof Refusal) return this.refuse(name, cmd, actor(), id(), err);
      // Not a rule we know: still one answer and one audit row, and the stack only at debug.
      this.o.log.error({ command: safeVerb(name), id: id(), err: (err as Error)?.message }, "remote command failed unexpectedly");
      this.o.log.debug({ err }, "remote command failure detail");
      this.audit(actor(), `mqtt.${safeVerb(name)}`, "failed", { reason: "internal-error" });
      return {
        id: id(),
        command: safeVerb(name),
        status: "error",
        code: ErrorCode.Locker_CommandRefused,
        reason: "internal-error",
        message: "the locker could not handle this command; see its log",
      };
    }
  }

  private refuse(name: string, cmd: Partial<SignedCommand>, actor: Actor, id: string | null, err: Refusal): CommandResult {
    const compartment = isIntegerIn(cmd.compartment, COMPARTMENT_MIN, COMPARTMENT_MAX) ? cmd.compartment : undefined;
    if (this.o.digest?.admit(err.reason) ?? true) {
      this.o.log.warn({ command: safeVerb(name), id, reason: err.reason }, "remote command refused");
      this.audit(actor, `mqtt.${safeVerb(name)}`, "refused", { reason: `${err.reason}: ${err.message}`, compartment });
    }
    return { id, command: safeVerb(name), status: "refused", code: err.code, reason: err.reason, message: err.message };
  }

  /** An audit row that cannot itself throw past us (a full disk must not cost the answer). */
  private audit(actor: Actor, action: string, outcome: "ok" | "refused" | "failed", fields: { reason?: string; compartment?: number }): void {
    try {
      this.o.locker.recordAudit(actor, action, outcome, fields);
    } catch (err) {
      this.o.log.error({ err: (err as Error)?.message, action }, "could not write the audit row of a remote command");
    }
  }

  private validate(name: string, cmd: Partial<SignedCommand>): void {
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
      throw new Refusal("unknown-command", ErrorCode.Locker_CommandRefused, `unknown command "${safeVerb(name)}"; known: ${COMMAND_NAMES.join(", ")}`);
    }
    const problems = commandProblems(cmd as Record<string, unknown>, VERB_FIELDS[name as CommandName]);
    if (problems.length) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, problems.join("; "));
  }

  /** Every refusal rule; returns the wall time used. */
  private check(name: CommandName, cmd: SignedCommand): number {
    const o = this.o;
    if (!verifyCommand(o.secret, o.lockerId, name, cmd)) {
      throw new Refusal("bad-signature", ErrorCode.Locker_Unauthorized, "signature does not match; sign the canonical form with this locker's secret (see lockerctl sign)");
    }
    if (!o.clock.wallClockTrusted()) {
      throw new Refusal(
        "clock-unsynced",
        ErrorCode.Locker_ClockUnsynced,
        "the locker's clock is not synchronised yet, so the command's time cannot be checked; retry once NTP has synced",
      );
    }
    const wall = o.clock.wallMs();
    const skewS = Math.round(wall / 1000 - cmd.ts);
    if (Math.abs(skewS) > o.windowSeconds) {
      throw new Refusal(
        "stale-timestamp",
        ErrorCode.Locker_CommandRefused,
        `timestamp is ${skewS}s away from the locker's clock (window ±${o.windowSeconds}s); sign a fresh command`,
      );
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
        throw new Refusal(
          "open-cap-reached",
          ErrorCode.Locker_Throttled,
          `remote opens are capped at ${o.maxOpensPerHour} per hour and the cap is reached; open it on site or wait`,
        );
      }
    }
    o.ledger.forgetBefore(wall, 2 * o.windowSeconds * 1000);
    return wall;
  }

  /** Run an accepted command; it leaves one `mqtt.<verb>` audit row (the locker adds its own door rows). */
  private async run(name: CommandName, cmd: SignedCommand, wall: number, actor: Actor): Promise<CommandResult> {
    const o = this.o;
    const base = { id: cmd.id, command: name };
    const compartment = cmd.compartment;
    try {
      let data: Record<string, unknown> | undefined;
      if (name === "open") data = { ...(await o.locker.staffOpen(cmd.compartment!, cmd.reason!, actor)) };
      else if (name === "disable") o.locker.disable(cmd.compartment!, cmd.reason!, actor);
      else if (name === "enable") o.locker.enable(cmd.compartment!, actor);
      else data = { pong: true, lockerTime: new Date(wall).toISOString() };
      o.ledger.settle(cmd.id, "ok");
      this.audit(actor, `mqtt.${name}`, "ok", { reason: cmd.reason ?? name, compartment });
      o.log.info({ command: name, id: cmd.id, compartment }, "remote command done");
      return { ...base, status: "ok", ...(data ? { data } : {}) };
    } catch (err) {
      o.ledger.settle(cmd.id, "error");
      const code = isLockerError(err) ? err.code : ErrorCode.Locker_CommandRefused;
      const status = isLockerDomainError(err) ? "refused" : "error";
      const reason = isLockerError(err) ? (ErrorCode[err.code] ?? "error") : "error";
      o.log.warn({ command: name, id: cmd.id, code, err: (err as Error)?.message }, "remote command failed");
      this.audit(actor, `mqtt.${name}`, status === "refused" ? "refused" : "failed", { reason: `${reason}: ${(err as Error)?.message ?? ""}`.slice(0, 500), compartment });
      return { ...base, status, code, reason, message: (err as Error)?.message ?? String(err) };
    }
  }
}

/** The payload as a JSON object (its fields still unchecked). */
function parseObject(payload: Buffer): Partial<SignedCommand> {
  if (payload.length > MAX_PAYLOAD_BYTES)
    throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, `payload is ${payload.length} bytes; a command is at most ${MAX_PAYLOAD_BYTES}`);
  let v: unknown;
  try {
    v = JSON.parse(payload.toString("utf8"));
  } catch {
    throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload is not JSON");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload must be a JSON object");
  return v as Partial<SignedCommand>;
}

/** An id safe to echo into cmd-result, logs and the audit trail. */
const COMMAND_ID_SAFE = /^[A-Za-z0-9_-]{1,64}$/;

/** A verb safe to echo into logs and the audit trail. */
function safeVerb(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "?").slice(0, 32);
}
