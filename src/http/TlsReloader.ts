/**
 * The public listener's certificate and key, re-read when either file
 * changes (a renewal by certbot/acme.sh, which replaces files by rename) or
 * on SIGHUP, without dropping connections: `tls.Server.setSecureContext`
 * swaps the context for new handshakes only. A bad new pair is logged and
 * the old one kept, so a half-written renewal never takes HTTPS down.
 */
import fs from "node:fs";
import type tls from "node:tls";
import type { Logger } from "pino";

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

/** Read the PEM pair; throws the fs error (ENOENT, EACCES) for the caller to report. */
export function readTlsPair(certFile: string, keyFile: string): TlsPair {
  return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
}

export class TlsReloader {
  private server?: tls.Server;
  private readonly onChange = (cur: fs.Stats, prev: fs.Stats) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino) this.reload("certificate or key file changed");
  };
  private readonly log: Logger;

  /** `pollMs`: how often the files' mtimes are checked (fs.watchFile; survives rename-replace), ms. */
  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    log: Logger,
    private readonly pollMs = 5_000,
  ) {
    this.log = log.child({ ns: "tls" });
  }

  /** Start watching; `server` is the HTTPS server whose context is swapped. */
  attach(server: tls.Server): void {
    this.server = server;
    for (const f of [this.certFile, this.keyFile]) fs.watchFile(f, { interval: this.pollMs, persistent: false }, this.onChange);
  }

  /** Re-read both files and use them for new connections; false (old pair kept) when they do not work. */
  reload(why: string): boolean {
    if (!this.server) return false;
    try {
      const pair = readTlsPair(this.certFile, this.keyFile);
      this.server.setSecureContext(pair);
      this.log.info({ why, certFile: this.certFile }, "HTTPS certificate reloaded");
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message, why, certFile: this.certFile, keyFile: this.keyFile }, "HTTPS certificate reload failed; still serving the previous one");
      return false;
    }
  }

  stop(): void {
    for (const f of [this.certFile, this.keyFile]) fs.unwatchFile(f, this.onChange);
    this.server = undefined;
  }
}
