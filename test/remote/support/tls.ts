/**
 * Real TLS for the remote-access tests: a throw-away CA and a server
 * certificate for 127.0.0.1 made with the openssl CLI, and an HTTPS client
 * that trusts only that CA (so a test passes only if lockerd really serves
 * the certificate it was given).
 */
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import http from "node:http";
import path from "node:path";

/** Whether openssl is here; missing → print why and skip on a laptop, fail under CI. */
export function opensslAvailable(): boolean {
  if (spawnSync("sh", ["-c", "command -v openssl"]).status === 0) return true;
  const why = "TLS tests skipped: openssl is not installed (apt-get install openssl)";
  if (process.env.CI) throw new Error(`${why}; CI must run them`);
  console.warn(why);
  return false;
}

export interface TestCa {
  dir: string;
  caFile: string;
  ca: Buffer;
  /** Issue a server certificate for `names` (IP or DNS SANs); returns the cert and key file paths. */
  issue(base: string, names?: string[]): { certFile: string; keyFile: string };
}

/** A fresh CA in `dir`. */
export function makeCa(dir: string): TestCa {
  const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=lockerd test CA");
  let serial = 1;
  return {
    dir,
    caFile: path.join(dir, "ca.pem"),
    ca: fs.readFileSync(path.join(dir, "ca.pem")),
    issue(base, names = ["IP:127.0.0.1", "DNS:localhost"]) {
      fs.writeFileSync(path.join(dir, `${base}.ext`), `subjectAltName=${names.join(",")}\nextendedKeyUsage=serverAuth\n`);
      ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${base}`);
      ossl(
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        String(serial++),
        "-days",
        "2",
        "-out",
        `${base}.pem`,
        "-extfile",
        `${base}.ext`,
      );
      fs.chmodSync(path.join(dir, `${base}.key`), 0o600);
      return { certFile: path.join(dir, `${base}.pem`), keyFile: path.join(dir, `${base}.key`) };
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented (https only). */
  fingerprint?: string;
  json<T = Record<string, unknown>>(): T;
}

/** One request on a fresh connection (no keep-alive, so a reloaded certificate is seen at once). */
export function request(url: string, opts: { method?: string; body?: unknown; headers?: Record<string, string>; ca?: Buffer; localAddress?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  const mod = u.protocol === "https:" ? https : http;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? (body ? "POST" : "GET"),
        agent: false,
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...(opts.headers ?? {}) },
      },
      (res) => {
        const cert = (res.socket as import("node:tls").TLSSocket).getPeerCertificate?.();
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            ...(cert?.raw ? { fingerprint: crypto.createHash("sha256").update(cert.raw).digest("hex") } : {}),
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** SHA-256 fingerprint of a PEM certificate file. */
export function fingerprintOf(certFile: string): string {
  return crypto
    .createHash("sha256")
    .update(new crypto.X509Certificate(fs.readFileSync(certFile)).raw)
    .digest("hex");
}
