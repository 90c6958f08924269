/**
 * Signing of remote commands (pure). The back office signs
 *
 *   lockerd-cmd-v1 \n <lockerId> \n <name> \n <id> \n <ts> \n <compartment or empty> \n <reason or empty>
 *
 * with HMAC-SHA256, key = the UTF-8 bytes of the trimmed secret file, and
 * sends the lowercase hex digest as `sig`. The locker id and verb are part of
 * the signed text so a command for one locker or verb cannot be re-aimed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SignedCommand } from "./topics.js";

export const CANONICAL_VERSION = "lockerd-cmd-v1";

/** The exact text that is signed. */
export function canonicalCommand(lockerId: string, name: string, cmd: Omit<SignedCommand, "sig">): string {
  return [CANONICAL_VERSION, lockerId, name, cmd.id, String(cmd.ts), cmd.compartment === undefined ? "" : String(cmd.compartment), cmd.reason ?? ""].join("\n");
}

/** HMAC-SHA256 of the canonical form, lowercase hex. */
export function signCommand(secret: string, lockerId: string, name: string, cmd: Omit<SignedCommand, "sig">): string {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(canonicalCommand(lockerId, name, cmd), "utf8")
    .digest("hex");
}

/** Constant-time check of `cmd.sig`. */
export function verifyCommand(secret: string, lockerId: string, name: string, cmd: SignedCommand): boolean {
  if (typeof cmd.sig !== "string" || !/^[0-9a-f]{64}$/.test(cmd.sig)) return false;
  const expected = Buffer.from(signCommand(secret, lockerId, name, cmd), "hex");
  return timingSafeEqual(expected, Buffer.from(cmd.sig, "hex"));
}
