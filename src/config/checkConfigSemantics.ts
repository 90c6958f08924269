/**
 * Cross-field rules the schema cannot say: compartments against boards and
 * the kiosk grid, unique numbers and ids, transport/broker/URL syntax, TLS
 * files, ordered pairs of limits. Runs on a config that may also have schema
 * errors, so every check guards the types it reads and skips what is broken
 * (the schema already reported it).
 */
import fs from "node:fs";
import { checkHttpTls } from "./checkHttpTls.js";
import { checkNotifyConfig } from "../notify/checkNotifyConfig.js";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
const isInt = (v: unknown): v is number => Number.isInteger(v);

/** Linux `sun_path` holds 108 bytes including the terminating NUL. */
const MAX_UNIX_SOCKET_BYTES = 107;

/** Every cross-field problem of `config`, one message each; empty when none. */
export function checkConfigSemantics(config: unknown): string[] {
  const c = rec(config);
  return [
    ...checkBus(rec(c.bus)),
    ...checkCompartments(c),
    ...checkMatters(list(c.matters)),
    ...checkUrls(c),
    ...checkTls(rec(c.mqtt)),
    ...checkEmbeddedUsers(c),
    ...checkHttpTls(rec(c.http)),
    ...checkPairs(c),
    ...checkNotifyConfig(c),
  ];
}

function checkBus(bus: Rec): string[] {
  const out: string[] = [];
  const t = bus.transport;
  if (typeof t === "string" && t !== "" && t !== "sim" && !/^\/\S+$/.test(t) && !isTcpAddress(t)) {
    out.push(`bus.transport must be "sim", an absolute serial device path (/dev/ttyUSB0, a udev or socat link) or tcp://host:port (got ${JSON.stringify(t)})`);
  }
  const seen = new Map<number, number>();
  // the schema allows 0-31 for any protocol; each family numbers its boards differently (reference A.1, B.1)
  const ids = bus.protocol === "kerong" ? { min: 0, max: 15, what: "Kerong board ids are 0-15" } : { min: 1, max: 31, what: "8A/80 DIP addresses are 1-31" };
  list(bus.boards).forEach((b, i) => {
    if (!isInt(b.address)) return;
    if (b.address < ids.min || b.address > ids.max) out.push(`bus.boards[${i}].address ${b.address} is out of range: ${ids.what}`);
    if (bus.protocol === "kerong" && isInt(b.channels) && b.channels > 16) out.push(`bus.boards[${i}].channels must be <= 16 on a Kerong board (got ${b.channels})`);
    const first = seen.get(b.address);
    if (first !== undefined) out.push(`bus.boards[${i}].address ${b.address} is already used by bus.boards[${first}]`);
    else seen.set(b.address, i);
  });
  return out;
}

function isTcpAddress(t: string): boolean {
  if (!t.startsWith("tcp://")) return false;
  try {
    const u = new URL(t);
    return u.hostname !== "" && u.port !== "" && (u.pathname === "" || u.pathname === "/") && u.search === "";
  } catch {
    return false;
  }
}

function checkCompartments(c: Rec): string[] {
  const out: string[] = [];
  const boards = new Map<number, number>();
  for (const b of list(rec(c.bus).boards)) if (isInt(b.address) && isInt(b.channels)) boards.set(b.address, b.channels);
  const kiosk = rec(c.kiosk);
  const numbers = new Map<number, number>();
  const wires = new Map<string, number>();
  const cells = new Map<string, number>();
  list(c.compartments).forEach((k, i) => {
    const at = `compartments[${i}]`;
    const claim = (map: Map<string | number, number>, key: string | number, what: string) => {
      const first = map.get(key);
      if (first === undefined) map.set(key, i);
      else out.push(`${at} ${what} is already used by compartments[${first}]`);
    };
    if (isInt(k.number)) claim(numbers as Map<string | number, number>, k.number, `number ${k.number}`);
    if (isInt(k.board) && isInt(k.channel)) {
      const channels = boards.get(k.board);
      if (channels === undefined) {
        out.push(`${at}.board ${k.board} is not in bus.boards (addresses: ${[...boards.keys()].join(", ") || "none"})`);
      } else if (k.channel > channels) {
        out.push(`${at}.channel must be <= ${channels}, the channel count of board ${k.board} (got ${k.channel})`);
      }
      claim(wires as Map<string | number, number>, `${k.board}:${k.channel}`, `board ${k.board} channel ${k.channel}`);
    }
    if (isInt(k.row) && isInt(kiosk.rows) && k.row > kiosk.rows) {
      out.push(`${at}.row must be <= kiosk.rows ${kiosk.rows} (got ${k.row})`);
    }
    if (isInt(k.column) && isInt(kiosk.columns) && k.column > kiosk.columns) {
      out.push(`${at}.column must be <= kiosk.columns ${kiosk.columns} (got ${k.column})`);
    }
    if (isInt(k.row) && isInt(k.column)) {
      claim(cells as Map<string | number, number>, `${k.row}/${k.column}`, `position row ${k.row} column ${k.column}`);
    }
  });
  return out;
}

function checkMatters(matters: Rec[]): string[] {
  const out: string[] = [];
  const ids = new Map<string, number>();
  matters.forEach((m, i) => {
    if (typeof m.id !== "string") return;
    const first = ids.get(m.id);
    if (first !== undefined) out.push(`matters[${i}].id "${m.id}" is already used by matters[${first}]`);
    else ids.set(m.id, i);
  });
  return out;
}

function checkUrls(c: Rec): string[] {
  const out: string[] = [];
  if (typeof c.publicBaseUrl === "string" && c.publicBaseUrl !== "") {
    let ok = false;
    try {
      const u = new URL(c.publicBaseUrl);
      ok = (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "" && u.search === "" && u.hash === "";
    } catch {
      ok = false;
    }
    if (!ok) out.push(`publicBaseUrl must be an http:// or https:// URL without query, e.g. "https://locker.example.org" (got ${JSON.stringify(c.publicBaseUrl)})`);
  }
  const mqtt = rec(c.mqtt);
  if (typeof mqtt.url === "string" && mqtt.url !== "" && mqtt.url !== "embedded" && mqtt.url !== "off") {
    let ok = false;
    try {
      const u = new URL(mqtt.url);
      ok = (u.protocol === "mqtt:" || u.protocol === "mqtts:") && u.hostname !== "";
    } catch {
      ok = false;
    }
    if (!ok) out.push(`mqtt.url must be "embedded", "off", mqtt://host:port or mqtts://host:port (got ${JSON.stringify(mqtt.url)})`);
  }
  const http = rec(c.http);
  if (typeof http.adminSocket === "string" && Buffer.byteLength(http.adminSocket) > MAX_UNIX_SOCKET_BYTES) {
    out.push(`http.adminSocket must be at most ${MAX_UNIX_SOCKET_BYTES} bytes long once resolved, a unix socket limit (got ${http.adminSocket})`);
  }
  out.push(...checkPorts(c));
  return out;
}

/** The listeners this config starts on fixed ports must not collide (0 = any free port never does). */
function checkPorts(c: Rec): string[] {
  const used: [string, unknown][] = [
    ["http.port", rec(c.http).port],
    ["http.kioskPort", rec(c.http).kioskPort],
  ];
  if (rec(c.mqtt).url === "embedded") used.push(["mqtt.embeddedPort", rec(c.mqtt).embeddedPort]);
  if (rec(c.bus).transport === "sim") used.push(["simulator.controlPort", rec(c.simulator).controlPort]);
  const out: string[] = [];
  const seen = new Map<number, string>();
  for (const [key, port] of used) {
    if (!isInt(port) || port === 0) continue;
    const first = seen.get(port);
    if (first) out.push(`${key} ${port} is also ${first}; give them different ports`);
    else seen.set(port, key);
  }
  return out;
}

function checkTls(mqtt: Rec): string[] {
  const out: string[] = [];
  const set = (["caFile", "certFile", "keyFile"] as const).filter((k) => typeof mqtt[k] === "string" && mqtt[k] !== "");
  if (typeof mqtt.url === "string" && mqtt.url.startsWith("mqtt://") && set.length > 0) {
    out.push(`mqtt.${set.join("/")} ${set.length === 1 ? "is" : "are"} set but mqtt.url is mqtt://; use mqtts:// for TLS, or remove them`);
  }
  for (const key of set) {
    const file = mqtt[key] as string;
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read by this user";
      out.push(`mqtt.${key} ${file} ${why}`);
    }
  }
  if ((typeof mqtt.certFile === "string") !== (typeof mqtt.keyFile === "string")) {
    out.push(`mqtt.certFile and mqtt.keyFile go together: set both for a client certificate, or neither`);
  }
  if (typeof mqtt.password === "string" && mqtt.username === undefined) out.push("mqtt.password is set without mqtt.username");
  return out;
}

/** Embedded broker users: unique names, none the locker's own, password files readable. */
function checkEmbeddedUsers(c: Rec): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  list(rec(c.mqtt).embeddedUsers).forEach((u, i) => {
    if (u.username === c.lockerId) out.push(`mqtt.embeddedUsers[${i}].username ${String(u.username)} is the lockerId: that name belongs to the locker itself`);
    else if (seen.has(u.username)) out.push(`mqtt.embeddedUsers[${i}].username ${String(u.username)} is listed twice`);
    seen.add(u.username);
    if (rec(c.mqtt).url === "embedded" && typeof u.passwordFile === "string") {
      try {
        fs.accessSync(u.passwordFile, fs.constants.R_OK);
      } catch (e) {
        out.push(`mqtt.embeddedUsers[${i}].passwordFile ${u.passwordFile} ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read by this user"}`);
      }
    }
  });
  return out;
}

function checkPairs(c: Rec): string[] {
  const out: string[] = [];
  const lessOrEqual = (a: unknown, b: unknown, aName: string, bName: string) => {
    if (isInt(a) && isInt(b) && a > b) out.push(`${aName} must be <= ${bName} ${b} (got ${a})`);
  };
  const reconnect = rec(rec(c.bus).reconnect);
  lessOrEqual(reconnect.minDelayMs, reconnect.maxDelayMs, "bus.reconnect.minDelayMs", "bus.reconnect.maxDelayMs");
  const mqtt = rec(c.mqtt);
  lessOrEqual(mqtt.reconnectPeriodMs, mqtt.reconnectMaxMs, "mqtt.reconnectPeriodMs", "mqtt.reconnectMaxMs");
  const pins = rec(c.pins);
  lessOrEqual(pins.baseLockoutMs, pins.maxLockoutMs, "pins.baseLockoutMs", "pins.maxLockoutMs");
  const rules = rec(c.rules);
  lessOrEqual(rules.qrRotateMs, rules.tokenTtlMs, "rules.qrRotateMs", "rules.tokenTtlMs");
  const n = pins.scryptCost;
  if (isInt(n) && n > 1 && (n & (n - 1)) !== 0) out.push(`pins.scryptCost must be a power of two, e.g. 16384 (got ${n})`);
  return out;
}
