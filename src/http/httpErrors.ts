/**
 * LockerError code → HTTP status and a message a resident can act on
 * (Simplified Chinese first, English after). Codes are mapped, never message
 * text. Anything a client sent wrong is a 4xx; only our own faults are 5xx.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { httpStatusFor } from "./httpStatus.js";

export interface ErrorBody {
  code: number;
  error: string;
  message: string;
  /** Seconds to wait before trying again (throttling, lockouts). */
  retryAfterS?: number;
  field?: string;
}

/** Where every error answer is described: the public app registers `errorSchema` under this id. */
export const ERROR_SCHEMA_ID = "LockerErrorBody";

/** An error response in a route's `response` schema: a reference to the one registered `errorSchema` (keeps /openapi.json small). */
export const errorResponse = { $ref: `${ERROR_SCHEMA_ID}#`, description: "Error: {code, error, message, retryAfterS?, field?}; map `code`, never the message text." } as const;

/** JSON schema of every error answer (used in route `response` schemas). */
export const errorSchema = {
  type: "object",
  description: "Error: {code, error, message, retryAfterS?, field?}; map `code`, never the message text.",
  additionalProperties: false,
  required: ["code", "error", "message"],
  properties: {
    code: { type: "integer" },
    error: { type: "string" },
    message: { type: "string" },
    retryAfterS: { type: "integer" },
    field: { type: "string" },
  },
} as const;

const OUT_OF_SERVICE = "柜子暂时无法使用，工作人员已收到通知。The locker is out of service for now.";
const INTERNAL = "系统出错，请稍后再试或联系工作人员。Internal error.";

/** What to tell a person for each code (status: `httpStatus.ts`); codes without a line here say the core's own message (4xx) or a generic one (5xx). */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.Locker_InvalidInput]: "填写的内容有误，请检查后再试。Please check what you entered.",
  [ErrorCode.Locker_WeakPin]: "密码太简单，请换一个不容易被猜到的6位数字（不要用000000、123456或手机号后六位）。PIN too easy to guess.",
  [ErrorCode.Locker_TokenInvalid]: "二维码无效，请重新扫描柜子屏幕上的二维码。Invalid QR link: please scan the code on the locker again.",
  [ErrorCode.Locker_TokenExpired]: "二维码已过期，请重新扫描柜子屏幕上的二维码。This QR link has expired: please scan again.",
  [ErrorCode.Locker_TokenUsed]: "二维码已被使用，请重新扫描柜子屏幕上的新二维码。This QR link was already used: please scan the new code.",
  [ErrorCode.Locker_CaseNotFound]: "没有找到这个办件。Case not found.",
  [ErrorCode.Locker_CompartmentNotFound]: "没有这个柜门。No such door.",
  [ErrorCode.Locker_PickupRefused]: "手机号或密码不对，请再试一次。如忘记密码，请联系工作人员。Phone number or PIN not right.",
  [ErrorCode.Locker_Throttled]: "尝试次数太多，请稍后再试。Too many attempts: please wait and try again.",
  [ErrorCode.Locker_CaseFrozen]: "密码错误次数太多，已锁定。请联系工作人员重置密码。Locked after too many wrong PINs: please ask staff.",
  [ErrorCode.Locker_NoFreeCompartment]: "柜子已满，暂时不能存放。工作人员已收到通知，请工作时间再来。The locker is full; staff have been told.",
  [ErrorCode.Locker_IllegalTransition]: "这个办件现在不能做这个操作。This case cannot do that now.",
  [ErrorCode.Locker_CompartmentUnavailable]: "这个柜门暂时不能使用。This door is not available.",
  [ErrorCode.Locker_DoorNeverOpened]: "柜门没有被打开，本次存件已取消。The door was not opened; drop-off cancelled.",
  [ErrorCode.Locker_Busy]: "柜子正忙，请稍等几秒再试。The locker is busy: try again in a few seconds.",
  [ErrorCode.Locker_Unauthorized]: "请先用员工码登录。Please sign in with your staff code.",
  [ErrorCode.Locker_CommandRefused]: "操作被拒绝。Refused.",
  [ErrorCode.Locker_PresenceRequired]:
    "取件须在柜子前进行：请扫描柜子屏幕上的二维码，再在手机上输入手机号和密码；或在柜子屏幕上点“取件”。Pickup works only at the locker: scan the QR code on the locker's screen, or tap Collect on the screen.",
  [ErrorCode.Locker_FormSessionExpired]:
    "填写时间已过，您填写的内容还在。请重新扫描柜子屏幕上的二维码，再点“提交”。Time ran out; what you typed is kept. Scan the locker's QR code again, then submit.",
  [ErrorCode.Locker_ClockUnsynced]: "设备时间尚未校准，请稍后再试或联系工作人员。The device clock is not set yet: try again later.",
  [ErrorCode.Notify_UnknownChannel]: "没有这个通知通道。No such notification channel.",
  [ErrorCode.Store_Unwritable]:
    "柜子暂停服务：设备存储出了问题，现在不能存取，工作人员已收到通知，请稍后再试。The locker is out of service (its storage cannot save records); staff have been told. Please try again later.",
  [ErrorCode.Board_LockFault]: "柜门没能打开，已通知工作人员，请换一个时间或联系工作人员。The door did not open; staff have been told.",
};

/** What to tell a person when schema validation fails on a known field. */
const FIELD_MESSAGES: Record<string, string> = {
  phone: "请输入11位手机号码（例如 13812345678）。",
  pin: "密码须为6位数字。",
  pinConfirm: "两次输入的密码须为6位数字且一致。",
  newPin: "新密码须为6位数字。",
  consent: "请先阅读并勾选同意隐私说明。",
  matter: "请选择要办理的事项。",
  name: "姓名最多40个字。",
  note: "备注最多200个字。",
  token: "二维码链接无效，请重新扫描柜子屏幕上的二维码。",
  q: "二维码链接无效，请重新扫描柜子屏幕上的二维码。",
  code: "员工码为8位数字。",
  reason: "请填写开门原因（2到200个字）。",
};

/** Status and body for an error thrown anywhere under a route. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof LockerError) {
    const status = httpStatusFor(err.code);
    const message = MESSAGES[err.code] ?? (status === 503 ? OUT_OF_SERVICE : status >= 500 ? INTERNAL : err.message);
    const body: ErrorBody = { code: err.code, error: ErrorCode[err.code] ?? "Unknown", message };
    const retryMs = err.context.retryAfterS !== undefined ? Number(err.context.retryAfterS) * 1000 : Number(err.context.retryAfterMs);
    if (Number.isFinite(retryMs) && retryMs > 0) body.retryAfterS = Math.ceil(retryMs / 1000);
    if (typeof err.context.field === "string") body.field = err.context.field;
    // Out of service for storage: the person at the locker can at least call someone.
    if (err.code === ErrorCode.Store_Unwritable && typeof err.context.helpPhone === "string" && err.context.helpPhone)
      body.message = `${message} 如需帮助请打电话 ${err.context.helpPhone}。For help, call ${err.context.helpPhone}.`;
    // Keep the core's specific message for input errors (it names the field), after our Chinese lead.
    if (err.code === ErrorCode.Locker_InvalidInput || err.code === ErrorCode.Locker_IllegalTransition || err.code === ErrorCode.Locker_CompartmentUnavailable)
      body.message = `${message}（${err.message}）`;
    return { status, body };
  }
  const fe = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe?.validation) {
    const v = fe.validation[0] as { instancePath?: string; params?: { missingProperty?: string; additionalProperty?: string } } | undefined;
    const field = (v?.params?.missingProperty ?? v?.params?.additionalProperty ?? v?.instancePath?.replace(/^\//, "").split("/")[0]) || undefined;
    const lead = (field && FIELD_MESSAGES[field]) ?? "填写的内容有误，请检查后再试。";
    return {
      status: 400,
      body: {
        code: ErrorCode.Locker_InvalidInput,
        error: "Locker_InvalidInput",
        message: `${lead} Invalid ${fe.validationContext ?? "input"}: ${fe.message}`,
        ...(field ? { field } : {}),
      },
    };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status === 429) {
    // From @fastify/rate-limit's errorResponseBuilder (already worded, with the wait).
    const rl = fe as unknown as { message?: string; retryAfterS?: number };
    return {
      status,
      body: {
        code: ErrorCode.Locker_Throttled,
        error: "Locker_Throttled",
        message: rl.message || MESSAGES[ErrorCode.Locker_Throttled]!,
        ...(rl.retryAfterS ? { retryAfterS: rl.retryAfterS } : {}),
      },
    };
  }
  if (status >= 400 && status < 500) {
    const msg =
      status === 413
        ? "请求内容太大。Request body too large."
        : status === 415
          ? "请求格式不支持，请发送 JSON。Send JSON (application/json)."
          : `请求有误。Bad request: ${fe.message}`;
    return { status, body: { code: ErrorCode.Locker_InvalidInput, error: "Locker_InvalidInput", message: msg } };
  }
  return { status: 500, body: { code: 500, error: "Internal", message: INTERNAL } };
}

/** Whether a refusal is logged one by one (true) or only counted for a summary line (false): a RefusalDigest. */
export interface RefusalLog {
  admit(reason: string): boolean;
}

/**
 * fastify error handler: JSON `{code, error, message}` for everything. With
 * `refusals`, a flood of 4xx (wrong PINs from hundreds of addresses: one line
 * each cost ~45 lines a second in the bench) is logged one by one only up to
 * the digest's limit a minute, then counted by status and code and
 * summarised in one line a minute; never dropped.
 */
export function httpErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply, refusals?: RefusalLog): void {
  const { status, body } = toHttpError(err);
  if (status >= 500) req.log.error({ err }, "request failed");
  else if (!refusals || refusals.admit(`${status} ${body.error}`)) req.log.info({ code: body.code, status }, "request refused");
  if (body.retryAfterS) void reply.header("retry-after", String(body.retryAfterS));
  void reply.code(status).type("application/json; charset=utf-8").send(body);
}
