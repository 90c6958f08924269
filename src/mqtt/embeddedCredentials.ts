/**
 * Credentials of the embedded broker: the locker's own password (generated
 * at first start into `<dataDir>/mqtt-broker-password`, mode 0600) and the
 * configured users' password files (`mqtt.embeddedUsers`).
 */
import fs from "node:fs";
import path from "node:path";
import type { LockerConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { BrokerAclOptions } from "./BrokerAcl.js";
import { loadCommandSecret } from "./commandSecret.js";

/** Shortest password accepted in a user's password file, characters. */
export const MIN_USER_PASSWORD_CHARS = 12;

/** Where the locker keeps its own broker password. */
export function lockerBrokerPasswordPath(dataDir: string): string {
  return path.join(dataDir, "mqtt-broker-password");
}

/** Everything BrokerAcl needs, read (and on first start created) from disk. Throws Config_* errors. */
export function embeddedAcl(config: LockerConfig, base: string): BrokerAclOptions {
  const m = config.mqtt;
  return {
    lockerId: config.lockerId,
    lockerPassword: loadCommandSecret(lockerBrokerPasswordPath(config.dataDir)),
    base,
    users: (m.embeddedUsers ?? []).map((u) => ({ username: u.username, rights: u.rights, password: readUserPassword(u.passwordFile, u.username) })),
    anonymous: m.embeddedAnonymous ?? "read",
  };
}

function readUserPassword(file: string, user: string): string {
  let text: string;
  let mode: number;
  try {
    text = fs.readFileSync(file, "utf8").trim();
    mode = fs.statSync(file).mode;
  } catch (err) {
    throw new LockerError(`cannot read the password file of MQTT user "${user}" (${file}): ${(err as Error).message}`, ErrorCode.Config_Unreadable, { file });
  }
  if ((mode & 0o077) !== 0) throw new LockerError(`password file ${file} of MQTT user "${user}" is readable by others; run: chmod 600 ${file}`, ErrorCode.Config_Invalid, { file });
  if (text.length < MIN_USER_PASSWORD_CHARS)
    throw new LockerError(`password of MQTT user "${user}" in ${file} is too short (need ${MIN_USER_PASSWORD_CHARS}+ characters)`, ErrorCode.Config_Invalid, { file });
  return text;
}
