/**
 * JSON schema of the whole LockerConfig: types, ranges and a one-line meaning
 * per key. It is the single source for validation (loadConfig.ts), for the
 * `LOCKERD_*` environment mapping (envOverrides.ts) and for the reference in
 * config/README.md. Cross-field rules live in checkConfigSemantics.ts.
 */
import { COMPARTMENT_NUMBER } from "../rules/limits.js";

/** The subset of JSON schema this file uses. */
export interface SchemaNode {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: readonly (string | number)[];
}

const int = (minimum: number, maximum: number, description: string): SchemaNode => ({
  type: "integer",
  minimum,
  maximum,
  description,
});
const str = (description: string, extra: Partial<SchemaNode> = {}): SchemaNode => ({
  type: "string",
  minLength: 1,
  description,
  ...extra,
});
const bool = (description: string): SchemaNode => ({ type: "boolean", description });
const oneOf = (values: readonly (string | number)[], description: string): SchemaNode => ({
  type: typeof values[0] === "number" ? "integer" : "string",
  enum: values,
  description,
});

/** An object whose keys are all required unless listed in `optional`, and which rejects unknown keys. */
function obj(properties: Record<string, SchemaNode>, description = "", optional: string[] = []): SchemaNode {
  return {
    type: "object",
    description,
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  };
}

const board = obj({
  address: int(0, 31, "board address as its protocol numbers it: 8A/80 DIP switch 1-31, Kerong board id 0-15"),
  channels: int(1, 64, "channels wired on this board (Kerong: at most 16)"),
  feedback: oneOf(["closedWhenLocked", "closedWhenUnlocked"], "feedback switch polarity: which lock state closes the input"),
  statusByteOrder: oneOf(["lastByteFirstChannels", "firstByteFirstChannels"], "which status byte of a query-all reply holds channels 1-8 (8A/80 only; Kerong's layout is fixed)"),
});

const compartment = obj({
  number: int(COMPARTMENT_NUMBER.min, COMPARTMENT_NUMBER.max, "the number painted on the door"),
  board: int(0, 31, "address of the board driving it (must be in bus.boards)"),
  channel: int(1, 64, "channel on that board (at most its channel count)"),
  size: oneOf(["S", "M", "L"], "size label used for allocation"),
  row: int(1, 20, "row on the locker front for the kiosk drawing, 1 = top (at most kiosk.rows)"),
  column: int(1, 20, "column on the locker front, 1 = left (at most kiosk.columns)"),
});

/** Pictograms the phone form can show next to a matter (symbols `i-m-<name>` in src/http/public/icons.svg). */
export const MATTER_ICONS = ["id-card", "insurance", "elderly", "certificate", "family", "house", "money", "document"] as const;

const matter = obj(
  {
    id: str("stable id used in events and the API", { pattern: "^[a-z0-9][a-z0-9-]{0,47}$" }),
    label: obj(
      {
        "zh-CN": str("label in simplified Chinese", { maxLength: 40 }),
        "zh-TW": str("label in traditional Chinese", { maxLength: 40 }),
        en: str("label in English", { maxLength: 40 }),
      },
      "label shown to residents",
      ["zh-TW", "en"],
    ),
    icon: oneOf(MATTER_ICONS, "pictogram shown with the label on the phone form (default: a document)"),
  },
  "",
  ["icon"],
);

const NOTIFY_EVENTS = ["dropoff", "ready", "collected", "cancelled", "overdue", "alarm"] as const;

const notifyChannel = obj(
  {
    id: str("channel name (lockerctl notify test <id>; env secrets LOCKERD_NOTIFY_<ID>_URL / _SECRET)", { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" }),
    kind: oneOf(["wecom-robot", "dingtalk-robot", "webhook"], "the service"),
    events: { type: "array", minItems: 1, maxItems: 6, items: oneOf(NOTIFY_EVENTS, "event type"), description: "event types this channel gets" },
    url: str("webhook: the back office's https URL (not a secret). Robots: refused, their URL carries the key; use urlFile or LOCKERD_NOTIFY_<ID>_URL", { maxLength: 2000 }),
    urlFile: str("file holding the robot's webhook URL (it carries the key); relative = against the config file's folder"),
    secretFile: str("file holding the webhook's HMAC secret, or the DingTalk signing secret (加签); or LOCKERD_NOTIFY_<ID>_SECRET; relative = against the config file's folder"),
    includePhone: bool("webhook only: put the resident's full phone in `ready` events (for the back office's SMS / WeChat message); default false"),
    perMinute: int(1, 600, "messages a minute at most (robots: 20, their documented limit); more events are batched into one message, never dropped"),
  },
  "one notification channel",
  ["url", "urlFile", "secretFile", "includePhone", "perMinute"],
);

export const configSchema: SchemaNode = obj({
  lockerId: str("this locker's id, used in topics, tokens and the MQTT client id", { pattern: "^[a-z0-9-]{1,32}$" }),
  displayName: str("name shown on pages", { maxLength: 100 }),
  dataDir: str("folder of the database, device secret and socket; relative = against the config file's folder"),
  publicBaseUrl: str("base of the QR link `<publicBaseUrl>/d/<token>`, an http(s) URL reachable from residents' phones"),
  helpPhone: {
    type: "string",
    maxLength: 30,
    pattern: "^$|^[0-9][0-9 ()+-]{2,29}$",
    description: "the centre's phone for help, shown and said on the lockout, out-of-service and locker-full screens (digits, spaces, - + ( ); empty = none)",
  },
  bus: obj({
    protocol: oneOf(["8a80", "kerong"], "wire protocol of every board on this bus: `8a80` (generic 8A/80 board) or `kerong` (Kerong KR-CU12/CU16); `lockerctl probe` tells which"),
    transport: str("`sim` (built-in simulator), a serial device `/dev/...`, or `tcp://host:port` (RS-485 device server)"),
    baudRate: oneOf([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200], "serial line speed, baud; default the protocol's factory speed (8a80: 9600, kerong: 19200)"),
    boards: { type: "array", minItems: 1, maxItems: 31, items: board, description: "the boards on this bus" },
    timeouts: obj({
      unlockReplyMs: int(1500, 10_000, "wait for the reply to an unlock pulse (the board answers after the ~1 s pulse), ms"),
      queryReplyMs: int(50, 5000, "wait for the reply to a status query, ms"),
      unlockVerifyMs: int(100, 10_000, "after an unlock, how long to keep checking that the lock reads released, ms"),
      pollIntervalMs: int(50, 5000, "door monitor: one query-all per board every this many ms"),
      settleMs: int(0, 1000, "quiet time after a failed exchange so late bytes drain, ms"),
      interFrameGapMs: int(0, 200, "minimum idle gap between two exchanges on the bus, ms"),
      offlineAfterFailedPolls: int(1, 50, "consecutive failed polls before the board is declared offline"),
    }),
    attempts: obj({
      query: int(1, 5, "status query attempts (safe to repeat)"),
      unlock: int(1, 2, "unlock pulses at most; the second only if the lock still reads shut"),
    }),
    reconnect: obj({
      minDelayMs: int(10, 60_000, "first wait before reopening a vanished device, ms (doubles each try)"),
      maxDelayMs: int(100, 600_000, "longest wait between reopen attempts, ms (>= minDelayMs)"),
    }),
  }),
  compartments: { type: "array", minItems: 1, maxItems: COMPARTMENT_NUMBER.max, items: compartment, description: "one entry per door" },
  matters: { type: "array", minItems: 1, maxItems: 50, items: matter, description: "what residents can drop documents off for" },
  rules: obj({
    tokenTtlMs: int(10_000, 3_600_000, "QR token lifetime, ms"),
    qrRotateMs: int(5000, 3_600_000, "kiosk QR rotation period, ms (<= tokenTtlMs; also rotated right after use)"),
    doorOpenTimeoutMs: int(5000, 600_000, "after the unlock, the door must be seen open within this or the drop-off is cancelled, ms"),
    doorLeftOpenMs: int(10_000, 3_600_000, "a door open longer than this raises door-left-open (repeated every period), ms"),
    holdDays: int(1, 365, "days a ready case is held before it is overdue"),
    overdueRepeatMs: int(60_000, 604_800_000, "overdue alert repeat period, ms"),
    privacyPurgeDays: int(1, 3650, "personal data (phone, name, note) is purged this many days after a case closes"),
    formSessionMs: int(60_000, 3_600_000, "opening the QR link gives the resident's form a session this long (the link itself lives tokenTtlMs), ms"),
    presenceMs: int(30_000, 1_800_000, "a phone pickup needs a QR code this locker's screen minted at most this long ago (proof of presence), ms"),
  }),
  pins: obj({
    freeAttempts: int(1, 10, "wrong PINs per phone before the first lockout"),
    baseLockoutMs: int(1000, 86_400_000, "first lockout, ms; doubles with each further failure"),
    maxLockoutMs: int(1000, 604_800_000, "longest single lockout, ms (>= baseLockoutMs)"),
    freezeAfterFailures: int(3, 50, "wrong PINs against one case in total before it is frozen until a staff PIN reset"),
    burstThreshold: int(2, 10_000, "wrong PINs from one kiosk/client within burstWindowMs that raise a pin-burst alarm"),
    burstWindowMs: int(1000, 3_600_000, "window of the pin-burst count, ms"),
    globalBurstThreshold: int(2, 1_000_000, "wrong PINs from all clients together within burstWindowMs that raise a pin-burst alarm (a flood spread over many addresses)"),
    scryptCost: int(2, 1_048_576, "scrypt cost N for PIN hashes, a power of two; 16384 in production, lower only in tests"),
  }),
  mqtt: obj(
    {
      url: str("`embedded` (in-process broker), `mqtt://host:port`, `mqtts://host:port` (TLS) or `off`"),
      embeddedHost: str("listen address of the embedded broker"),
      embeddedPort: int(0, 65_535, "port of the embedded broker; 0 = any free port (tests)"),
      embeddedUsers: {
        type: "array",
        maxItems: 50,
        description: "users of the embedded broker besides the locker itself: `read` (events, status, compartments) or `command` (also send signed commands)",
        items: obj({
          username: str("user name (not the lockerId)", { pattern: "^[A-Za-z0-9_.-]{1,64}$" }),
          passwordFile: str("file holding the password (12+ characters, mode 0600); relative = against the config file's folder"),
          rights: oneOf(["read", "command"], "what the user may do"),
        }),
      },
      embeddedAnonymous: oneOf(["none", "read"], "embedded broker: clients without a user name get nothing, or read-only access (never publish)"),
      username: { type: "string", description: "broker user name" },
      password: { type: "string", description: "broker password (prefer LOCKERD_MQTT__PASSWORD over the file)" },
      caFile: str("PEM file of the CA that signed the broker's certificate (mqtts); relative = against the config file's folder"),
      certFile: str("PEM client certificate (mqtts, with keyFile)"),
      keyFile: str("PEM client private key (mqtts, with certFile)"),
      prefix: str("topic prefix; topics are `<prefix>/<lockerId>/...`", { pattern: "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$" }),
      reconnectPeriodMs: int(100, 60_000, "first reconnect wait after the broker went away, ms; doubles per failed attempt"),
      reconnectMaxMs: int(100, 600_000, "longest reconnect wait (backoff cap), ms (>= reconnectPeriodMs)"),
      protocolVersion: oneOf([4, 5], "MQTT protocol: 5, or 4 (3.1.1) for old site brokers; the embedded broker always speaks 4"),
      commandSecretFile: str(
        "HMAC key file for signed commands; default `<dataDir>/mqtt-command-secret`, created (mode 0600) at first start; relative = against the config file's folder",
      ),
      commands: obj({
        windowSeconds: int(5, 3600, "accept a signed command only if its timestamp is within +- this of our clock, s"),
        maxOpensPerHour: int(0, 1000, "remote opens allowed per rolling hour; 0 = none"),
        refusalsAuditedPerMinute: int(1, 10_000, "refused commands audited and logged one by one per minute; more are counted into one summary row a minute"),
      }),
      backlogAlarm: int(1, 1_000_000, "outbox backlog that raises an alarm and shows in /readyz, events"),
      homeAssistant: obj(
        {
          enabled: bool("publish Home Assistant MQTT discovery configs (door, lock, status per compartment; read-only, no remote open); turning it off removes them"),
          discoveryPrefix: str("Home Assistant's discovery prefix", { pattern: "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$" }),
        },
        "Home Assistant MQTT discovery",
      ),
    },
    "",
    ["username", "password", "caFile", "certFile", "keyFile", "commandSecretFile", "homeAssistant"],
  ),
  notify: obj(
    {
      channels: { type: "array", maxItems: 10, items: notifyChannel, description: "staff and back-office notification channels, each fed from the outbox with its own cursor" },
      residentNotice: str("what the resident's case page says about the notice they will get when the result is ready; `{phone}` is replaced by the masked phone", {
        maxLength: 200,
      }),
      timeoutMs: int(1000, 120_000, "one HTTP request to a channel may take this long, ms"),
      retryMinMs: int(100, 600_000, "first wait after a failed delivery, ms; doubles per failure"),
      retryMaxMs: int(1000, 3_600_000, "longest wait between delivery attempts, ms (>= retryMinMs)"),
      backlogAlarm: int(1, 1_000_000, "events waiting for one channel above which an alarm is raised, events"),
    },
    "notifications (WeCom, DingTalk robots, signed webhook)",
    ["residentNotice"],
  ),
  timeZone: str("IANA time zone for every time shown to a person (pages, lockerctl tables, robot messages); stored and sent times stay ISO UTC", { maxLength: 64 }),
  http: obj(
    {
      host: str("listen address of the public pages (kiosk, resident, staff)"),
      port: int(0, 65_535, "port of the public pages; 0 = any free port (tests)"),
      adminSocket: str("unix socket of the local admin API (lockerctl); default `<dataDir>/admin.sock`; relative = against the config file's folder"),
      rateLimitPerMinute: int(1, 100_000, "requests per minute per client IP on the public listener"),
      trustProxy: bool("trust X-Forwarded-For (only behind a reverse proxy)"),
      kioskPort: int(
        0,
        65_535,
        "the kiosk screen's own listener, always on 127.0.0.1 and never forwarded by a proxy: only it gets the drop-off QR, the live stream and the keypad pickup; 0 = any free port (tests)",
      ),
      certFile: str(
        "PEM certificate chain: with keyFile the public listener serves HTTPS (re-read on SIGHUP or when the file changes); relative = against the config file's folder",
      ),
      keyFile: str("PEM private key of certFile"),
    },
    "",
    ["certFile", "keyFile"],
  ),
  kiosk: obj({
    rows: int(1, 20, "rows of doors on the locker front"),
    columns: int(1, 20, "columns of doors on the locker front"),
    idleTimeoutMs: int(5000, 3_600_000, "back to the QR screen after this much inactivity, ms"),
    defaultLanguage: oneOf(["zh-CN", "zh-TW", "en"], "first language shown"),
    voice: obj(
      {
        volume: int(0, 100, "loudness of the kiosk's spoken prompts, % of the screen's own volume; 0 = silent"),
        recordingsDir: str(
          "the centre's own recordings, `<dir>/<lang>/<clip>.ogg|.opus|.mp3|.wav|.m4a`, each replacing that default clip (see `lockerctl voice list`); relative = against the config file's folder",
        ),
      },
      "the kiosk's spoken prompts (pre-rendered clips, src/http/public/voice/)",
      ["recordingsDir"],
    ),
  }),
  simulator: obj({
    controlPort: int(0, 65_535, "HTTP control API of the built-in simulator on 127.0.0.1 (bus.transport = sim); 0 = any free port"),
    openAfterMs: int(0, 600_000, "simulated resident: the door swings open this long after the unlock, ms"),
    closeAfterMs: int(0, 3_600_000, "simulated resident: the door is closed this long after it opened, ms; 0 = stays open until closed by hand"),
  }),
  log: obj({
    level: oneOf(["fatal", "error", "warn", "info", "debug", "trace"], "log level"),
    pretty: bool("human-readable logs instead of JSON lines; default: true when stdout is a terminal"),
  }),
});
