/**
 * The back-office API over MQTT: a mini-program backend in the cloud runs the
 * resident flows (drop-off, case status, pickup at the locker) through the
 * broker, so the locker opens no inbound port. Requests arrive on
 * `cmd/dropoff`, `cmd/case-status`, `cmd/pickup`; checks, in order: not
 * retained → readable envelope → signature → trusted wall clock → timestamp
 * window → single-use id → per-client rate limit → arguments (the JSON
 * schemas of the contract, then the same edge rules as HTTP) → the locker
 * core, which applies the same PIN throttles, token rules and audit as for
 * the web page. Every refusal is audited here; what reaches the core is
 * audited there, with via "backoffice" and the backend's client.
 */
import { COMMAND_ID_RE, isIntegerIn } from "../commandValidation.js";
import type { ValidateFunction } from "ajv";
import type { Logger } from "pino";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { ErrorCode, isLockerError, type LockerError } from "../../errors/LockerError.js";
import { toHttpError } from "../../http/httpErrors.js";
import type { Actor, LockerApi } from "../../locker/LockerApi.js";
import type { Clock } from "../../util/clock.js";
import type { CommandLedger } from "../CommandLedger.js";
import { mqttValidators } from "../schemas.js";
import type { CommandResult } from "../topics.js";
import { RequestRateLimit } from "./RequestRateLimit.js";
import { verifyRequest, type BackOfficeRequest } from "./requestSigning.js";

/** Verbs of the back-office API, each answered on `cmd-result`. */
export const BACK_OFFICE_VERBS = ["dropoff", "case-status", "pickup"] as const;
export type BackOfficeVerb = (typeof BACK_OFFICE_VERBS)[number];

export function isBackOfficeVerb(name: string): name is BackOfficeVerb {
  return (BACK_OFFICE_VERBS as readonly string[]).includes(name);
}

export interface BackOfficeHandlerOptions {
  lockerId: string;
  secret: string;
  windowSeconds: number;
  /** Requests per minute per back-office client (http.rateLimitPerMinute). */
  perMinute: number;
  ledger: CommandLedger;
  locker: LockerApi;
  clock: Clock;
  log: Logger;
}

class Refusal {
  constructor(
    readonly reason: string,
    readonly code: ErrorCode,
    readonly message: string,
    readonly extra: { field?: string; retryAfterS?: number } = {},
  ) {}
}

const MAX_PAYLOAD_BYTES = 4096;

type Args = Record<string, unknown> & { client?: string };

export class BackOfficeHandler {
  /** Compiled on first use (mqttValidators), not at start-up. */
  private readonly validators = mqttValidators();
  private readonly limit: RequestRateLimit;

  constructor(private readonly o: BackOfficeHandlerOptions) {
    this.limit = new RequestRateLimit(o.perMinute, o.clock);
  }

  /** The handler for this locker's config (window from mqtt.commands, rate from http.rateLimitPerMinute). */
  static fromConfig(config: LockerConfig, secret: string, d: Pick<BackOfficeHandlerOptions, "ledger" | "locker" | "clock" | "log">): BackOfficeHandler {
    return new BackOfficeHandler({ lockerId: config.lockerId, secret, windowSeconds: config.mqtt.commands.windowSeconds, perMinute: config.http.rateLimitPerMinute, ...d });
  }

  /** Handle one request; always resolves with the one answer. `refusedTopic`: a response topic we will not publish to. */
  async handle(name: BackOfficeVerb, payload: Buffer, opts: { retained?: boolean; refusedTopic?: string } = {}): Promise<CommandResult> {
    let req: Partial<BackOfficeRequest> = {};
    const id = () => (typeof req.id === "string" ? req.id.slice(0, 64) : null);
    const client = () => clientOf(req.args);
    try {
      req = parse(payload);
      if (opts.retained)
        throw new Refusal(
          "retained",
          ErrorCode.Locker_CommandRefused,
          "requests must be published without the retain flag; clear it by publishing an empty retained message on this topic",
        );
      if (opts.refusedTopic !== undefined)
        throw new Refusal(
          "bad-response-topic",
          ErrorCode.Locker_InvalidInput,
          `response topic "${opts.refusedTopic}" is not under this locker's cmd-result; use <prefix>/<lockerId>/cmd-result or a subtopic of it`,
        );
      const ok = this.check(name, req);
      return await this.run(name, ok);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      this.o.log.warn({ command: name, id: id(), reason: err.reason }, "back-office request refused");
      this.o.locker.recordAudit({ kind: "remote", id: id() ?? "unknown", via: "backoffice", client: client() }, `mqtt.${name}`, "refused", {
        reason: `${err.reason}: ${err.message}`,
      });
      return { id: id(), command: name, status: "refused", code: err.code, reason: err.reason, message: err.message, ...err.extra };
    }
  }

  /** Envelope, signature, clock, window, replay, rate limit, arguments; returns the request once it may run. */
  private check(name: BackOfficeVerb, req: Partial<BackOfficeRequest>): BackOfficeRequest {
    const o = this.o;
    const problems: string[] = [];
    if (typeof req.id !== "string" || !COMMAND_ID_RE.test(req.id)) problems.push("id must be 8–64 characters of A-Z a-z 0-9 _ -");
    // The same integer rule as the locker commands: 1.5, 1e300 or "0x1" are refused here, never reach SQLite.
    if (!isIntegerIn(req.ts, 0, Number.MAX_SAFE_INTEGER)) problems.push("ts must be unix seconds (integer)");
    if (typeof req.sig !== "string") problems.push("sig must be the hex HMAC-SHA256");
    if (!req.args || typeof req.args !== "object" || Array.isArray(req.args)) problems.push("args must be an object");
    const extra = Object.keys(req).filter((k) => !["id", "ts", "args", "sig"].includes(k));
    if (extra.length) problems.push(`unknown field(s): ${extra.join(", ")}`);
    if (problems.length) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, problems.join("; "));
    const r = req as BackOfficeRequest;
    if (!verifyRequest(o.secret, o.lockerId, name, r))
      throw new Refusal(
        "bad-signature",
        ErrorCode.Locker_Unauthorized,
        "signature does not match; sign the canonical request text with this locker's secret (see MQTT_CONTRACT.md, back-office API)",
      );
    if (!o.clock.wallClockTrusted())
      throw new Refusal(
        "clock-unsynced",
        ErrorCode.Locker_ClockUnsynced,
        "the locker's clock is not synchronised yet, so the request's time cannot be checked; retry once NTP has synced",
      );
    const wall = o.clock.wallMs();
    const skewS = Math.round(wall / 1000 - r.ts);
    if (Math.abs(skewS) > o.windowSeconds)
      throw new Refusal(
        "stale-timestamp",
        ErrorCode.Locker_CommandRefused,
        `timestamp is ${skewS}s away from the locker's clock (window ±${o.windowSeconds}s); sign a fresh request`,
      );
    if (!o.ledger.claim(r.id, name, wall)) throw new Refusal("replayed-id", ErrorCode.Locker_CommandRefused, `request id ${r.id} was already used; every request needs a new id`);
    o.ledger.forgetBefore(wall, 2 * o.windowSeconds * 1000);
    const waitMs = this.limit.admit(clientOf(r.args));
    if (waitMs > 0) {
      const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
      throw new Refusal("Locker_Throttled", ErrorCode.Locker_Throttled, `too many requests from this client; wait ${retryAfterS} s`, { retryAfterS });
    }
    const schema: ValidateFunction = this.validators[`backoffice-${name}`];
    // The whole request against the contract's schema (the envelope already passed, so errors are in args).
    if (!schema(r)) {
      const e = schema.errors?.[0];
      const p = e?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      const field = p?.missingProperty ?? p?.additionalProperty ?? e?.instancePath.split("/")[2];
      throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, `args ${e?.instancePath || ""} ${e?.message ?? "invalid"}`.replace(/\s+/g, " ").trim(), field ? { field } : {});
    }
    const a = r.args as Args;
    if (name === "dropoff" && a.pinConfirm !== undefined && a.pinConfirm !== a.pin)
      throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "两次输入的密码不一致，请重新输入。pin and pinConfirm differ", { field: "pinConfirm" });
    return r;
  }

  private async run(name: BackOfficeVerb, r: BackOfficeRequest): Promise<CommandResult> {
    const a = r.args as Args;
    const actor: Actor = { kind: "resident", id: a.client ?? r.id, via: "backoffice", client: clientOf(a) };
    const base = { id: r.id, command: name };
    try {
      let data: Record<string, unknown>;
      if (name === "dropoff") {
        const d = await this.o.locker.startDropoff(
          {
            token: a.q as string,
            ...(a.scancode_time !== undefined ? { scancodeTime: a.scancode_time as number } : {}),
            matter: a.matter as string,
            phone: a.phone as string,
            ...(typeof a.name === "string" && a.name.trim() ? { name: a.name.trim() } : {}),
            ...(typeof a.note === "string" && a.note.trim() ? { note: a.note.trim() } : {}),
            pin: a.pin as string,
            consent: a.consent === true,
          },
          actor,
        );
        data = { caseId: d.caseId, caseNumber: d.caseNumber, compartment: d.compartment };
      } else if (name === "case-status") {
        const c = this.o.locker.caseStatus(a.caseId as string);
        data = { id: c.id, number: c.number, state: c.state, matter: c.matter, ...(c.compartment !== undefined ? { compartment: c.compartment } : {}), updatedAt: c.updatedAt };
      } else {
        // The link scanned at the locker a moment ago is the proof of presence; phone + PIN alone open nothing.
        const presence = { kind: "link" as const, link: a.q as string, ...(a.scancode_time !== undefined ? { scancodeTime: a.scancode_time as number } : {}) };
        const opened = await this.o.locker.pickup(a.phone as string, a.pin as string, actor, presence);
        data = { opened: opened.map((x) => ({ compartment: x.compartment, ...(x.caseNumber ? { caseNumber: x.caseNumber } : {}), ...(x.caseId ? { caseId: x.caseId } : {}) })) };
      }
      this.o.ledger.settle(r.id, "ok");
      this.o.log.info({ command: name, id: r.id }, "back-office request done");
      return { ...base, status: "ok", data };
    } catch (err) {
      this.o.ledger.settle(r.id, "error");
      if (!isLockerError(err)) {
        this.o.log.error({ err, command: name, id: r.id }, "back-office request failed");
        return { ...base, status: "error", code: ErrorCode.Locker_CommandRefused, reason: "error", message: "系统出错，请稍后再试或联系工作人员。Internal error." };
      }
      return { ...base, ...answerFor(err) };
    }
  }
}

/** The same words a resident gets on the web page (Chinese first), with the code's name as the reason. */
function answerFor(err: LockerError): Omit<CommandResult, "id" | "command"> {
  const { body } = toHttpError(err);
  const status = err.code >= 300 && err.code < 400 ? "refused" : "error";
  return {
    status,
    code: err.code,
    reason: ErrorCode[err.code] ?? "error",
    message: body.message,
    ...(body.field ? { field: body.field } : {}),
    ...(body.retryAfterS ? { retryAfterS: body.retryAfterS } : {}),
  };
}

function clientOf(args: unknown): string {
  const c = args && typeof args === "object" ? (args as Args).client : undefined;
  return typeof c === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(c) ? `backoffice:${c}` : "backoffice";
}

function parse(payload: Buffer): Partial<BackOfficeRequest> {
  if (payload.length > MAX_PAYLOAD_BYTES)
    throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, `payload is ${payload.length} bytes; a request is at most ${MAX_PAYLOAD_BYTES}`);
  let v: unknown;
  try {
    v = JSON.parse(payload.toString("utf8"));
  } catch {
    throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload is not JSON");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Refusal("malformed", ErrorCode.Locker_InvalidInput, "payload must be a JSON object");
  return v as Partial<BackOfficeRequest>;
}
