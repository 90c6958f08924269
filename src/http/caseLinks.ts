/**
 * The resident's bookmarkable case link `<publicBaseUrl>/c/<token>`:
 * token = `<caseId>.<mac>`, mac = the first 128 bits of
 * HMAC-SHA256(case-link secret, "case-link\n" + caseId), base64url. The case
 * id alone (it travels in staff alerts) does not open the page; only the
 * resident who dropped off was given the mac. The secret is a file of its own
 * (`<dataDir>/case-link-secret`, 0600), so rotating it ends every link
 * without touching QR tokens.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { loadOrCreateDeviceSecret } from "../locker/deviceSecret.js";

const MAC_BYTES = 16;

export class CaseLinks {
  private key?: Buffer;

  /** `secret`: the key itself, or a function that reads it (called once, on first use). */
  constructor(
    private readonly secret: Buffer | (() => Buffer),
    private readonly publicBaseUrl: string,
  ) {}

  /** `<dataDir>/case-link-secret`, read (or created, 0600) on first use: building the app alone writes nothing. */
  static fromDataDir(dataDir: string, publicBaseUrl: string): CaseLinks {
    return new CaseLinks(() => loadOrCreateDeviceSecret(path.join(dataDir, "case-link-secret")), publicBaseUrl);
  }

  token(caseId: string): string {
    return `${caseId}.${this.mac(caseId).toString("base64url")}`;
  }

  /** Absolute link for the resident. */
  url(caseId: string): string {
    return `${this.publicBaseUrl.replace(/\/+$/, "")}/c/${this.token(caseId)}`;
  }

  /** The case id of a valid token, else undefined (constant-time compare). */
  caseIdOf(token: string): string | undefined {
    const dot = token.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const caseId = token.slice(0, dot);
    let given: Buffer;
    try {
      given = Buffer.from(token.slice(dot + 1), "base64url");
    } catch {
      return undefined;
    }
    if (given.length !== MAC_BYTES) return undefined;
    return timingSafeEqual(given, this.mac(caseId)) ? caseId : undefined;
  }

  private mac(caseId: string): Buffer {
    this.key ??= typeof this.secret === "function" ? this.secret() : this.secret;
    return createHmac("sha256", this.key).update(`case-link\n${caseId}`).digest().subarray(0, MAC_BYTES);
  }
}
