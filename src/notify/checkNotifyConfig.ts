/**
 * Cross-field rules for `notify.*` and `timeZone` (called from
 * checkConfigSemantics): which keys each channel kind takes, unique ids,
 * readable secret files, and a zone this Node knows. Robot URLs carry their
 * key, so the config file may not hold them (a file or LOCKERD_* only).
 */
import fs from "node:fs";
import { isValidTimeZone } from "../util/localTime.js";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});

/** Robots allow at most this many messages a minute (their documented limit). */
export const ROBOT_PER_MINUTE = 20;

/** Every problem of `notify` and `timeZone` in a merged config, one message each. */
export function checkNotifyConfig(c: Rec): string[] {
  const out: string[] = [];
  if (typeof c.timeZone === "string" && !isValidTimeZone(c.timeZone))
    out.push(`timeZone "${c.timeZone}" is not a time zone this system knows; use an IANA name such as Asia/Shanghai`);
  const n = rec(c.notify);
  if (Number.isInteger(n.retryMinMs) && Number.isInteger(n.retryMaxMs) && (n.retryMinMs as number) > (n.retryMaxMs as number)) {
    out.push(`notify.retryMinMs must be <= notify.retryMaxMs ${n.retryMaxMs} (got ${n.retryMinMs})`);
  }
  const seen = new Set<string>();
  (Array.isArray(n.channels) ? n.channels : []).forEach((raw, i) => {
    const ch = rec(raw);
    const at = `notify.channels[${i}]`;
    if (typeof ch.id === "string") {
      if (seen.has(ch.id)) out.push(`${at}.id "${ch.id}" is used by another channel`);
      seen.add(ch.id);
    }
    const robot = ch.kind === "wecom-robot" || ch.kind === "dingtalk-robot";
    if (robot && "url" in ch) out.push(`${at}.url: a ${ch.kind} URL carries its key; put it in a file (urlFile) or LOCKERD_NOTIFY_<ID>_URL, not the config file`);
    if (ch.kind === "webhook") {
      if ("urlFile" in ch) out.push(`${at}.urlFile: a webhook takes url (its secret goes in secretFile)`);
      if (typeof ch.url === "string" && !/^https?:\/\/\S+$/.test(ch.url)) out.push(`${at}.url must be an http(s) URL (got ${JSON.stringify(ch.url)})`);
    }
    if (ch.kind === "wecom-robot" && "secretFile" in ch) out.push(`${at}.secretFile: a WeCom robot has no signing secret (its key is in the URL)`);
    if (ch.kind !== "webhook" && ch.includePhone === true) out.push(`${at}.includePhone is for webhooks only: group robots never get the full phone`);
    if (robot && Number.isInteger(ch.perMinute) && (ch.perMinute as number) > ROBOT_PER_MINUTE) {
      out.push(`${at}.perMinute ${ch.perMinute} is above the robot's limit of ${ROBOT_PER_MINUTE} a minute`);
    }
    for (const k of ["urlFile", "secretFile"]) {
      const f = ch[k];
      if (typeof f !== "string") continue;
      try {
        fs.accessSync(f, fs.constants.R_OK);
      } catch (e) {
        out.push(`${at}.${k} ${f} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
      }
    }
  });
  return out;
}

/** The environment variable holding a channel's URL or secret: `LOCKERD_NOTIFY_<ID>_URL` / `_SECRET`. */
export function channelEnvName(id: string, what: "URL" | "SECRET"): string {
  return `LOCKERD_NOTIFY_${id.toUpperCase().replace(/-/g, "_")}_${what}`;
}
