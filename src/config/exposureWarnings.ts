/**
 * Warnings about how residents' phones reach the pages: combinations of
 * `publicBaseUrl`, `http.host`, `http.trustProxy` and the HTTPS files that
 * are valid JSON but cannot work, or work only in clear text. The three
 * layouts they check against are in config/DEPLOY-REMOTE.md.
 */
import type { LockerConfig } from "./LockerConfig.js";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/;

/** One sentence per doubtful combination; empty when none. The demo (bus.transport = sim) gets none. */
export function exposureWarnings(c: LockerConfig): string[] {
  if (c.bus.transport === "sim") return [];
  const out: string[] = [];
  let link: URL;
  try {
    link = new URL(c.publicBaseUrl);
  } catch {
    return out; // the semantic check already reports it
  }
  const ownTls = c.http.certFile !== undefined && c.http.keyFile !== undefined;
  const pagesLoopbackOnly = LOOPBACK_HOST.test(c.http.host);
  const linkLoopback = LOOPBACK_HOST.test(link.hostname);
  const proxied = c.http.trustProxy;

  if (link.protocol === "https:" && pagesLoopbackOnly && !proxied && !linkLoopback) {
    out.push(
      `publicBaseUrl is https://${link.host} but the pages listen only on ${c.http.host} with no proxy trusted: phones cannot reach them. ` +
        "Either run a TLS reverse proxy on this machine and set http.trustProxy true (layout b), or listen on the centre's network address with http.certFile/keyFile (layout a)",
    );
  }
  if (link.protocol === "https:" && !ownTls && !proxied && !pagesLoopbackOnly) {
    out.push(
      `publicBaseUrl is https:// but lockerd serves plain HTTP on ${c.http.host} and trusts no proxy: set http.certFile and http.keyFile, or put a TLS proxy in front (http.trustProxy true)`,
    );
  }
  if (link.protocol === "http:" && !linkLoopback) {
    out.push(
      `publicBaseUrl ${c.publicBaseUrl} is plain HTTP to a network address: PINs and staff codes travel in clear on the network; use https:// (http.certFile/keyFile, or a TLS proxy)`,
    );
  }
  if (!ownTls && !proxied && !pagesLoopbackOnly) {
    out.push(`the pages listen on ${c.http.host} in plain HTTP: set http.certFile and http.keyFile so phones and staff use HTTPS`);
  }
  if (ownTls && link.protocol === "http:") {
    out.push("http.certFile/keyFile make the pages HTTPS but publicBaseUrl is http://: the QR link would not open; make it https://");
  }
  if (ownTls && proxied) {
    out.push("http.certFile/keyFile and http.trustProxy are both set: behind a TLS proxy lockerd needs no certificate of its own (the proxy terminates TLS); keep one");
  }
  if (!proxied && !pagesLoopbackOnly && link.port !== "" && Number(link.port) !== c.http.port) {
    out.push(
      `publicBaseUrl names port ${link.port} but the pages listen on ${c.http.port} with no proxy in between: the QR link would miss them (port forwarding on the router is fine if it maps ${link.port} to ${c.http.port})`,
    );
  }
  return out;
}
