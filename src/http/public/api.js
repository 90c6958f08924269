// @ts-check
/**
 * The one way the pages call lockerd's HTTP API. Every answer is a result:
 * `{ok: true, data}` or `{ok: false, error}` where `error` is the server's
 * error body `{code, error, message, retryAfterS?, field?}`. Pages decide by
 * `error.code` (the LockerError codes in `Code`), never by HTTP status or
 * message text. A network failure is `Code.Network`.
 * Kept to ES2017 syntax like the phone pages that import it.
 */

/**
 * LockerError codes the pages act on (src/errors/LockerError.ts; a test
 * keeps them equal).
 */
export const Code = Object.freeze({
  /** No answer at all (network down, server gone). */
  Network: 0,
  BoardLockFault: 204,
  NoFreeCompartment: 300,
  CaseNotFound: 301,
  IllegalTransition: 302,
  CompartmentNotFound: 303,
  CompartmentUnavailable: 304,
  WeakPin: 305,
  InvalidInput: 306,
  TokenInvalid: 307,
  TokenExpired: 308,
  TokenUsed: 309,
  PickupRefused: 310,
  Throttled: 311,
  CaseFrozen: 312,
  ClockUnsynced: 313,
  DoorNeverOpened: 314,
  Unauthorized: 315,
  CommandRefused: 316,
  Busy: 317,
  PresenceRequired: 330,
  FormSessionExpired: 331,
  /** The disk refuses writes: the locker is out of service (503), staff are alerted. */
  StoreUnwritable: 454,
});

/** True for lock-board and transport failures (codes 200–299): the locker cannot open doors now. */
export function isBoardFailure(/** @type {number} */ code) {
  return code >= 200 && code < 300;
}

/**
 * @typedef {{code: number, error: string, message: string, retryAfterS?: number, field?: string}} ApiError
 */
/**
 * @template T
 * @typedef {{ok: true, data: T} | {ok: false, error: ApiError}} ApiResult
 */

/** @type {Record<string, string>} */
const extraHeaders = {};

/**
 * Mark every request of this page as coming from the kiosk screen (the staff
 * API audits where a door was opened from).
 */
export function markKioskScreen() {
  extraHeaders["x-lockerd-screen"] = "kiosk";
}

/**
 * @template T
 * @param {"GET" | "POST" | "DELETE"} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<ApiResult<T>>}
 */
async function call(method, url, body) {
  /** @type {Record<string, string>} */
  const headers = Object.assign({ accept: "application/json" }, extraHeaders);
  if (body !== undefined) headers["content-type"] = "application/json";
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, error: { code: Code.Network, error: "Network", message: "网络不通，请再试一次。No connection." } };
  }
  /** @type {any} */
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (res.ok) return { ok: true, data: /** @type {T} */ (data) };
  if (data && typeof data.code === "number") return { ok: false, error: data };
  return { ok: false, error: { code: Code.Network, error: "Unexpected", message: `服务器没有正常回答（${res.status}）。` } };
}

/** @typedef {{number: number, row: number, column: number, status: string, door: string, size?: string, caseNumber?: string, caseId?: string, faultReason?: string, occupied?: boolean}} Compartment */
/** @typedef {{url: string, svg: string, expiresAtWallMs: number}} Qr */
/** @typedef {{displayName: string, rows: number, columns: number, idleTimeoutMs: number, defaultLanguage: string, timeZone?: string, boardOnline: boolean, storageOk?: boolean, compartments: Compartment[], qr: Qr | null, helpPhone?: string}} KioskState */
/** @typedef {{compartment: number, caseNumber?: string, caseId?: string}} DoorOpened */
/** @typedef {{id: string, number: string, state: string, matter: string, phone?: string, name?: string, note?: string, compartment?: number, createdAt?: string, updatedAt: string, readyAt?: string, overdue?: boolean, failedPinAttempts?: number}} CaseView */
/** @typedef {{id: string, label: Record<string, string>, icon?: string}} Matter */
/** @typedef {{displayName: string, expiresAtWallMs: number, matters: Matter[], helpPhone?: string}} DropoffInfo */
/** @typedef {{number: string, state: string, matter: string, matterLabel: string, phone: string, compartment?: number, updatedAt: string, holdUntil?: string, notice: string, timeZone: string}} CaseLinkView */
/** @typedef {{session: string, remainingMs: number, presenceRemainingMs: number}} FormSession */
/** @typedef {{time: string, kind?: string, compartment?: number, message?: string}} Alarm */
/** @typedef {{kioskVolume: number, langs: import("./voice-compose.js").Templates}} VoiceClips */
/** @typedef {{seq: number, time: string, actorName?: string, actorId: string, action: string, outcome: string, compartment?: number, reason?: string}} AuditRow */

export const api = {
  /** @returns {Promise<ApiResult<KioskState>>} */
  kioskState: () => call("GET", "/kiosk/state"),
  /** @param {string} phone @param {string} pin @returns {Promise<ApiResult<{opened: DoorOpened[]}>>} */
  kioskPickup: (phone, pin) => call("POST", "/kiosk/pickup", { phone, pin }),
  /** @param {string} token @returns {Promise<ApiResult<DropoffInfo>>} */
  dropoffInfo: (token) => call("GET", "/api/dropoff/" + encodeURIComponent(token)),
  /** @param {Record<string, unknown>} body @returns {Promise<ApiResult<{caseId: string, caseNumber: string, compartment: number, caseLink?: string, notice?: string}>>} */
  dropoff: (body) => call("POST", "/api/dropoff", body),
  /** @returns {Promise<ApiResult<{displayName: string, matters: Matter[], helpPhone?: string}>>} */
  formInfo: () => call("GET", "/api/form-info"),
  /** Claim the scanned link for a form session. @param {string} token @returns {Promise<ApiResult<FormSession>>} */
  openSession: (token) => call("POST", "/api/sessions", { token }),
  /** @param {string} id @returns {Promise<ApiResult<FormSession>>} */
  session: (id) => call("GET", "/api/sessions/" + encodeURIComponent(id)),
  /** Pickup on the phone, at the locker (the session is the proof). @param {string} session @param {string} phone @param {string} pin @returns {Promise<ApiResult<{opened: DoorOpened[]}>>} */
  pickup: (session, phone, pin) => call("POST", "/api/pickup", { session, phone, pin }),
  /** @param {string} id @returns {Promise<ApiResult<CaseView>>} */
  caseStatus: (id) => call("GET", "/api/cases/" + encodeURIComponent(id)),
  /** The bookmarked case page's view (masked phone). @param {string} token @returns {Promise<ApiResult<CaseLinkView>>} */
  caseLink: (token) => call("GET", "/api/case-link/" + encodeURIComponent(token)),
  /** @param {string} code @returns {Promise<ApiResult<{name: string}>>} */
  staffSignIn: (code) => call("POST", "/api/staff/session", { code }),
  /** @returns {Promise<ApiResult<{name: string, timeZone?: string}>>} */
  staffSession: () => call("GET", "/api/staff/session"),
  /** @returns {Promise<ApiResult<unknown>>} */
  staffSignOut: () => call("DELETE", "/api/staff/session"),
  /** @param {string} [state] @returns {Promise<ApiResult<CaseView[]>>} */
  staffCases: (state) => call("GET", "/api/staff/cases" + (state ? "?state=" + encodeURIComponent(state) : "")),
  /** @returns {Promise<ApiResult<Matter[]>>} */
  staffMatters: () => call("GET", "/api/staff/matters"),
  /** @returns {Promise<ApiResult<Compartment[]>>} */
  staffCompartments: () => call("GET", "/api/staff/compartments"),
  /** Alarms + one audit page, newest first; `before` (a seq) pages back. @param {number | null} [before] @returns {Promise<ApiResult<{alarms: Alarm[], audit: AuditRow[]}>>} */
  staffAlarms: (before) => call("GET", "/api/staff/alarms" + (before ? "?before=" + before : "")),
  /** A case's full phone number (the server audits who asked). @param {string} id @returns {Promise<ApiResult<{phone: string}>>} */
  staffCasePhone: (id) => call("GET", `/api/staff/cases/${encodeURIComponent(id)}/phone`),
  /** @param {string} id @returns {Promise<ApiResult<DoorOpened>>} */
  staffCollect: (id) => call("POST", `/api/staff/cases/${encodeURIComponent(id)}/collect`, {}),
  /** @param {string} id @returns {Promise<ApiResult<DoorOpened>>} */
  staffReturn: (id) => call("POST", `/api/staff/cases/${encodeURIComponent(id)}/return`, {}),
  /** @param {string} id @param {string} newPin @returns {Promise<ApiResult<unknown>>} */
  staffResetPin: (id, newPin) => call("POST", `/api/staff/cases/${encodeURIComponent(id)}/reset-pin`, { newPin }),
  /** @param {number} n @param {string} reason @returns {Promise<ApiResult<DoorOpened>>} */
  staffOpen: (n, reason) => call("POST", `/api/staff/compartments/${n}/open`, { reason }),
  /** @param {number} n @param {string} reason @returns {Promise<ApiResult<unknown>>} */
  staffDisable: (n, reason) => call("POST", `/api/staff/compartments/${n}/disable`, { reason }),
  /** @param {number} n @returns {Promise<ApiResult<unknown>>} */
  staffEnable: (n) => call("POST", `/api/staff/compartments/${n}/enable`, {}),
  /** The spoken prompts' clip list (voice.js). @returns {Promise<ApiResult<VoiceClips>>} */
  voiceClips: () => call("GET", "/voice/clips.json"),
  /** Tell the daemon a spoken prompt did not play (kiosk screen only). @param {{clip: string, reason: string, keys?: string[]}} failure @returns {Promise<ApiResult<unknown>>} */
  voiceFailure: (failure) => call("POST", "/kiosk/voice-failure", failure),
};
