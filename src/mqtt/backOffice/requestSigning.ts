/**
 * Signing of back-office requests (pure). Their arguments are a whole form
 * (phone, PIN, matter, the scanned link…), so instead of one line per field
 * the signed text carries a SHA-256 of the arguments in a canonical JSON
 * form (keys sorted, no spaces):
 *
 *   lockerd-req-v1 \n <lockerId> \n <name> \n <id> \n <ts> \n <sha256 hex of canonical args>
 *
 * HMAC-SHA256 with key = the UTF-8 bytes of the trimmed command secret file
 * (the same secret as `cmd/open`), lowercase hex in `sig`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const REQUEST_CANONICAL_VERSION = "lockerd-req-v1";

/** A back-office request as published on `cmd/<name>`. */
export interface BackOfficeRequest {
  /** Single-use id, 8–64 characters of [A-Za-z0-9_-]. */
  id: string;
  /** Unix seconds when signed. */
  ts: number;
  /** The verb's arguments (see the backoffice-*.schema.json files). */
  args: Record<string, unknown>;
  /** Lowercase hex HMAC-SHA256 of `canonicalRequest`. */
  sig: string;
}

/** JSON with object keys sorted at every level and no whitespace: the same bytes in every language. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** The exact text that is signed. */
export function canonicalRequest(lockerId: string, name: string, req: Omit<BackOfficeRequest, "sig">): string {
  const argsHash = createHash("sha256").update(canonicalJson(req.args), "utf8").digest("hex");
  return [REQUEST_CANONICAL_VERSION, lockerId, name, req.id, String(req.ts), argsHash].join("\n");
}

/** HMAC-SHA256 of the canonical text, lowercase hex. */
export function signRequest(secret: string, lockerId: string, name: string, req: Omit<BackOfficeRequest, "sig">): string {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(canonicalRequest(lockerId, name, req), "utf8")
    .digest("hex");
}

/** Constant-time check of `req.sig`. */
export function verifyRequest(secret: string, lockerId: string, name: string, req: BackOfficeRequest): boolean {
  if (typeof req.sig !== "string" || !/^[0-9a-f]{64}$/.test(req.sig)) return false;
  const expected = Buffer.from(signRequest(secret, lockerId, name, req), "hex");
  return timingSafeEqual(expected, Buffer.from(req.sig, "hex"));
}
