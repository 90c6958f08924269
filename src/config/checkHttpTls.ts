/**
 * Cross-field rules of the public listener's own HTTPS (`http.certFile`,
 * `http.keyFile`): both or neither, both readable, a PEM certificate and a
 * private key that belong together. Runs on a config that may have schema
 * errors, so it guards every type it reads.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import fs from "node:fs";

/** Every problem with the HTTPS files of `http` (the config's `http` section); empty when none. */
export function checkHttpTls(http: Record<string, unknown>): string[] {
  const cert = typeof http.certFile === "string" && http.certFile !== "" ? http.certFile : undefined;
  const key = typeof http.keyFile === "string" && http.keyFile !== "" ? http.keyFile : undefined;
  if (!cert && !key) return [];
  if (!cert || !key) return ["http.certFile and http.keyFile go together: set both to serve HTTPS, or neither (plain HTTP, e.g. behind a TLS reverse proxy)"];
  const out: string[] = [];
  const read = (k: string, file: string): Buffer | undefined => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read by this user";
      out.push(`http.${k} ${file} ${why}`);
      return undefined;
    }
  };
  const certPem = read("certFile", cert);
  const keyPem = read("keyFile", key);
  let x509: X509Certificate | undefined;
  if (certPem) {
    try {
      x509 = new X509Certificate(certPem);
    } catch {
      out.push(`http.certFile ${cert} is not a PEM certificate`);
    }
  }
  if (keyPem) {
    try {
      const k = createPrivateKey(keyPem);
      if (x509 && !x509.checkPrivateKey(k)) out.push(`http.keyFile ${key} is not the private key of http.certFile ${cert}`);
    } catch {
      out.push(`http.keyFile ${key} is not a PEM private key (an encrypted key cannot be used: the daemon starts unattended)`);
    }
  }
  return out;
}
