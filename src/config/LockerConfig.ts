/**
 * The daemon's whole configuration, after defaults, file and `LOCKERD_*`
 * environment overrides have been merged and validated (see loadConfig.ts).
 * Every duration is in milliseconds unless the name says otherwise.
 */

/** Feedback switch wiring (reference A.4/A.7-2): which way the input conducts. */
export type FeedbackPolarity =
  /** 上锁短路: input closed (bit = 1, byte 11) while the door is shut and latched. Most common. */
  | "closedWhenLocked"
  /** 开锁短路: the reverse. */
  | "closedWhenUnlocked";

/** Query-all status byte order (reference A.4, CONFLICT): which status byte holds channels 1–8. */
export type StatusByteOrder =
  /** The byte just before the 33 marker holds ch 1–8 (24-ch boards, Open-Locker, ROS). Default. */
  | "lastByteFirstChannels"
  /** The byte right after the board address holds ch 1–8 (the 50-ch Thai firmware). */
  | "firstByteFirstChannels";

export interface BoardConfig {
  /** Address as the protocol numbers it: 8A/80 DIP switch 1–31; Kerong board id 0–15. */
  address: number;
  /** Channels wired on this board, 1–64. */
  channels: number;
  feedback: FeedbackPolarity;
  statusByteOrder: StatusByteOrder;
}

export interface BusConfig {
  /** Wire protocol of every board on this bus: "8a80" (reference A) or "kerong" (Kerong KR-CU, reference B). */
  protocol: "8a80" | "kerong";
  /**
   * Where the bus is: a serial device (`/dev/ttyUSB0`, `/dev/serial/by-id/...`),
   * `tcp://host:port` for an RS-485 device server, or `sim` to start the
   * built-in board simulator (demo mode).
   */
  transport: string;
  /** Serial line speed, baud: 1200–115200 (standard rates). Default the protocol's: 9600 for 8a80, 19200 for kerong. */
  baudRate: number;
  boards: BoardConfig[];
  timeouts: {
    /** Wait for the reply to an unlock pulse; the board answers after the pulse (~1 s). 1500–10000, default 2000. */
    unlockReplyMs: number;
    /** Wait for the reply to a status query. 50–5000, default 400. */
    queryReplyMs: number;
    /** After an unlock, how long to keep checking that the lock reads released. 100–10000, default 1500. */
    unlockVerifyMs: number;
    /** Door monitor: one query-all per board every this many ms. 50–5000, default 200. */
    pollIntervalMs: number;
    /** Quiet time after a failed exchange before the next one (late bytes drain). 0–1000, default 50. */
    settleMs: number;
    /** Minimum idle gap between two exchanges on the bus. 0–200, default 5. */
    interFrameGapMs: number;
    /** Consecutive failed polls before the board is declared offline. 1–50, default 3. */
    offlineAfterFailedPolls: number;
  };
  attempts: {
    /** Status query attempts (queries are safe to repeat). 1–5, default 2. */
    query: number;
    /** Unlock pulses at most (the second only if the lock still reads shut). 1–2, default 2. */
    unlock: number;
  };
  reconnect: {
    /** Backoff after the device vanished: first wait, doubling per try. 10–60000, default 250. */
    minDelayMs: number;
    /** Longest wait between reopen attempts. minDelayMs–600000, default 10000. */
    maxDelayMs: number;
  };
}

export type CompartmentSize = "S" | "M" | "L";

export interface CompartmentConfig {
  /** The number painted on the door, 1–99; what residents and staff see. */
  number: number;
  /** Board address (must be in bus.boards) and channel 1..channels on it; each board+channel once. */
  board: number;
  channel: number;
  size: CompartmentSize;
  /** Position on the locker's front for the kiosk drawing, 1-based, within kiosk.rows × kiosk.columns, unique. */
  row: number;
  column: number;
}

export interface LocalizedText {
  "zh-CN": string;
  "zh-TW"?: string;
  en?: string;
}

export interface MatterConfig {
  /** Stable id used in events and the API, e.g. "residence-permit"; [a-z0-9][a-z0-9-]{0,47}, unique. */
  id: string;
  label: LocalizedText;
  /** Pictogram shown with the label on the phone form (one of MATTER_ICONS in configSchema.ts); default a document. */
  icon?: "id-card" | "insurance" | "elderly" | "certificate" | "family" | "house" | "money" | "document";
}

export interface RulesConfig {
  /** QR token lifetime. 10000–3600000, default 120000. */
  tokenTtlMs: number;
  /** Kiosk QR rotation period (also rotated right after use). 5000–tokenTtlMs, default 60000. */
  qrRotateMs: number;
  /** After the unlock, the door must be seen open within this or the drop-off is cancelled. 5000–600000, default 60000. */
  doorOpenTimeoutMs: number;
  /** A door open longer than this raises door-left-open (repeated every same period). 10000–3600000, default 90000. */
  doorLeftOpenMs: number;
  /** Hold period of a ready case before it is overdue, days. 1–365, default 7. */
  holdDays: number;
  /** Overdue alert repeat period. 60000–604800000, default 86400000 (daily). */
  overdueRepeatMs: number;
  /** Personal data (phone, name, note) purged this many days after a case closes. 1–3650, default 30. */
  privacyPurgeDays: number;
  /** Opening the QR link gives the form a session this long, ms. 60000–3600000, default 900000 (15 min). */
  formSessionMs: number;
  /** A phone pickup needs a QR token minted at most this long ago (proof of presence), ms. 30000–1800000, default 300000. */
  presenceMs: number;
}

export interface PinPolicyConfig {
  /** Failures per phone before the first lockout. 1–10, default 3. */
  freeAttempts: number;
  /** First lockout; doubles with each further failure. 1000–maxLockoutMs, default 60000. */
  baseLockoutMs: number;
  /** Longest single lockout. 1000–604800000, default 3600000. */
  maxLockoutMs: number;
  /** Failures against one case in total before it is frozen until a staff PIN reset. 3–50, default 10. */
  freezeAfterFailures: number;
  /** Failures from one kiosk/client within `burstWindowMs` that raise a pin-burst alarm. 2–10000, default 20. */
  burstThreshold: number;
  /** Window of the pin-burst count. 1000–3600000, default 60000. */
  burstWindowMs: number;
  /** Failures from all clients together within `burstWindowMs` that raise a pin-burst alarm. 2–1000000, default 100. */
  globalBurstThreshold: number;
  /** scrypt cost (N), a power of two 2–2^20; 2^14 default, lower only in tests. */
  scryptCost: number;
}

export interface MqttConfig {
  /** `embedded` (start aedes on embeddedHost:embeddedPort), `mqtt://host:port`, `mqtts://host:port`, or `off`. */
  url: string;
  /** Listen address of the embedded broker. default "127.0.0.1". */
  embeddedHost: string;
  /** 0–65535; 0 = any free port (tests). default 1883. */
  embeddedPort: number;
  /** Users of the embedded broker besides the locker (whose password is generated in `<dataDir>/mqtt-broker-password`). default []. */
  embeddedUsers: Array<{ username: string; passwordFile: string; rights: "read" | "command" }>;
  /** Embedded broker: what a client without a user name may do. default "read" (never publish). */
  embeddedAnonymous: "none" | "read";
  username?: string;
  password?: string;
  /** PEM file paths, mqtts:// only; must be readable; certFile and keyFile together. Relative = against the config file's folder. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Topic prefix; topics are `<prefix>/<lockerId>/...`; levels of [A-Za-z0-9_-], no wildcards. default "lockers". */
  prefix: string;
  /** First reconnect wait after the broker went away, ms; doubles per failed attempt. 100–60000, default 1000. */
  reconnectPeriodMs: number;
  /** Longest reconnect wait (backoff cap), ms. reconnectPeriodMs–600000, default 30000. */
  reconnectMaxMs: number;
  /** MQTT protocol: 5 (default) or 4 (3.1.1, for old site brokers). The embedded broker (aedes) always speaks 4. */
  protocolVersion: 4 | 5;
  /** HMAC key file for signed commands; default `<dataDir>/mqtt-command-secret`, created (mode 0600) at first start. */
  commandSecretFile?: string;
  commands: {
    /** Accept a signed command only if its timestamp is within ± this of our clock, seconds. 5–3600, default 120. */
    windowSeconds: number;
    /** Remote opens allowed per rolling hour. 0–1000, default 10. */
    maxOpensPerHour: number;
    /** Refused commands audited and logged one by one per minute; more are counted into one summary row. 1–10000, default 30. */
    refusalsAuditedPerMinute: number;
  };
  /** Outbox backlog that raises an alarm and makes /readyz report it. 1–1000000, default 100. */
  backlogAlarm: number;
  /** Home Assistant MQTT discovery (retained configs per compartment, read-only). */
  homeAssistant?: {
    /** Publish the discovery configs; false removes them. default false. */
    enabled: boolean;
    /** HA's discovery prefix. default "homeassistant". */
    discoveryPrefix: string;
  };
}

export type NotifyEventType = "dropoff" | "ready" | "collected" | "cancelled" | "overdue" | "alarm";

/** One notification channel (src/notify). Secrets come from files or `LOCKERD_NOTIFY_<ID>_URL` / `_SECRET`, never the config file. */
export interface NotifyChannelConfig {
  /** Name, [a-z0-9][a-z0-9-]{0,31}; the cursor and lockerctl use it. */
  id: string;
  kind: "wecom-robot" | "dingtalk-robot" | "webhook";
  /** Event types this channel gets. */
  events: NotifyEventType[];
  /** webhook only: the back office URL (not secret). */
  url?: string;
  /** Robots: file with the webhook URL (carries the key). */
  urlFile?: string;
  /** webhook: HMAC secret file (required unless the env var is set); dingtalk-robot: signing secret file (optional). */
  secretFile?: string;
  /** webhook only: full phone on `ready`. default false. */
  includePhone?: boolean;
  /** Messages a minute at most; robots default (and at most) 20. */
  perMinute?: number;
}

export interface NotifyConfig {
  channels: NotifyChannelConfig[];
  /** Case page text about the notice the resident gets; `{phone}` → masked phone. Default derived from the channels. */
  residentNotice?: string;
  /** One HTTP request to a channel, ms. 1000–120000, default 10000. */
  timeoutMs: number;
  /** First wait after a failed delivery, doubling per failure, ms. default 2000. */
  retryMinMs: number;
  /** Longest wait between attempts, ms. default 300000. */
  retryMaxMs: number;
  /** Events waiting for one channel above which an alarm is raised. default 100. */
  backlogAlarm: number;
}

export interface HttpConfig {
  /** Public listener for kiosk, resident and staff pages. */
  host: string;
  /** 0–65535; 0 = any free port (tests). default 8080. */
  port: number;
  /** Local admin API for lockerctl, a unix socket path (mode 0660). default `<dataDir>/admin.sock`. */
  adminSocket: string;
  /** Requests per minute per client IP on the public listener. 1–100000, default 300. */
  rateLimitPerMinute: number;
  /** Trust X-Forwarded-For (behind a reverse proxy). default false. */
  trustProxy: boolean;
  /** The kiosk screen's own listener on 127.0.0.1 (QR, live stream, keypad pickup); 0 = any free port. default 8088. */
  kioskPort: number;
  /** PEM certificate chain; with `keyFile` the public listener serves HTTPS, re-read on SIGHUP or file change. */
  certFile?: string;
  /** PEM private key for `certFile`. */
  keyFile?: string;
}

export interface KioskConfig {
  /** Locker front for the drawing: rows of doors, 1–20. default 2. */
  rows: number;
  /** Columns of doors, 1–20. default 3. */
  columns: number;
  /** Back to the QR screen after this much inactivity. 5000–3600000, default 60000. */
  idleTimeoutMs: number;
  /** First language shown. */
  defaultLanguage: "zh-CN" | "zh-TW" | "en";
  /** Spoken prompts: audio clips (src/http/public/voice/), a centre's recordings replacing any of them. */
  voice: {
    /** Loudness, % of the screen's volume, 0–100. default 80. */
    volume: number;
    /** `<dir>/<lang>/<clip>.<ogg|opus|mp3|wav|m4a>` replace the default clips; absolute once loaded. */
    recordingsDir?: string;
  };
}

export interface LockerConfig {
  /** This locker's id, [a-z0-9-]{1,32}; used in topics, tokens and the MQTT client id. */
  lockerId: string;
  /** Human name shown on pages, e.g. "麒麟区某某社区服务中心 错时办柜". */
  displayName: string;
  /** Where the database, device secret and socket live. Relative = against the config file's folder. default "./data". */
  dataDir: string;
  /** Base of the QR link `<publicBaseUrl>/d/<token>`, as reachable from residents' phones. */
  publicBaseUrl: string;
  /** The centre's phone for help, shown and said on the lockout, out-of-service and locker-full screens, e.g. "0874-3126000"; "" = none. default "". */
  helpPhone: string;
  bus: BusConfig;
  compartments: CompartmentConfig[];
  matters: MatterConfig[];
  rules: RulesConfig;
  pins: PinPolicyConfig;
  mqtt: MqttConfig;
  http: HttpConfig;
  kiosk: KioskConfig;
  notify: NotifyConfig;
  /** IANA zone for every time shown to a person; stored and sent times stay ISO UTC. default "Asia/Shanghai". */
  timeZone: string;
  /** The built-in board simulator, used when `bus.transport` is `sim` (demo, tests). */
  simulator: {
    /** Its HTTP control API on 127.0.0.1 (open/close doors by hand, inject faults). 0 = any free port. default 8081. */
    controlPort: number;
    /** Simulated residents: the door swings open this long after the unlock, ms. default 1500. */
    openAfterMs: number;
    /** …and is closed again this long after it opened, ms; 0 = stays open until closed by hand. default 6000. */
    closeAfterMs: number;
  };
  log: {
    level: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
    /** Human-readable logs (default when stdout is a terminal). */
    pretty: boolean;
  };
}
