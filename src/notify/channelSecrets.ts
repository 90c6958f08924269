/**
 * A channel's URL and secret, read once at start from its files or from
 * `LOCKERD_NOTIFY_<ID>_URL` / `_SECRET` (the variable wins over the file).
 * Both are secrets for robots (the URL carries the key): they are kept in
 * this object only and never logged; errors name the file or variable, never
 * the value.
 */
import fs from "node:fs";
import type { NotifyChannelConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { channelEnvName } from "./checkNotifyConfig.js";

export interface ChannelSecrets {
  url: string;
  /** webhook: HMAC key; dingtalk-robot: signing secret (加签), if set. */
  secret?: string;
}

export function loadChannelSecrets(ch: NotifyChannelConfig, env: NodeJS.ProcessEnv = process.env): ChannelSecrets {
  const urlVar = channelEnvName(ch.id, "URL");
  const secretVar = channelEnvName(ch.id, "SECRET");
  const url = env[urlVar]?.trim() || (ch.urlFile ? readSecretFile(ch, ch.urlFile) : undefined) || (ch.kind === "webhook" ? ch.url : undefined);
  if (!url) {
    const where = ch.kind === "webhook" ? "url" : `urlFile or ${urlVar}`;
    throw new LockerError(`notify channel "${ch.id}" (${ch.kind}) has no URL: set ${where}`, ErrorCode.Config_Invalid, { channel: ch.id });
  }
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new LockerError(`notify channel "${ch.id}": its URL (from ${env[urlVar] ? urlVar : (ch.urlFile ?? "url")}) is not an http(s) URL`, ErrorCode.Config_Invalid, {
      channel: ch.id,
    });
  }
  const secret = env[secretVar]?.trim() || (ch.secretFile ? readSecretFile(ch, ch.secretFile) : undefined);
  if (ch.kind === "webhook" && !secret) {
    throw new LockerError(`notify channel "${ch.id}" (webhook) needs a signing secret: secretFile or ${secretVar}`, ErrorCode.Config_Invalid, { channel: ch.id });
  }
  return { url, ...(secret ? { secret } : {}) };
}

function readSecretFile(ch: NotifyChannelConfig, file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new LockerError(`notify channel "${ch.id}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`, ErrorCode.Config_Unreadable, {
      channel: ch.id,
      file,
    });
  }
}
