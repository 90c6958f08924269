/**
 * lockerctl's way into the running daemon: HTTP over the daemon's local admin
 * unix socket (never a network port). Errors come back as LockerError JSON.
 */
import http from "node:http";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

export const DEFAULT_ADMIN_SOCKET = process.env.LOCKERD_ADMIN_SOCKET ?? "./data/admin.sock";

export class DaemonUnavailableError extends Error {
  constructor(
    public readonly socketPath: string,
    cause: unknown,
  ) {
    super(
      `cannot reach lockerd at ${socketPath} (${(cause as NodeJS.ErrnoException)?.code ?? String(cause)}). ` +
        `Is the daemon running? Try: systemctl status lockerd, or pass --socket <path>.`,
    );
  }
}

export interface AdminClient {
  request<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, timeoutMs?: number): Promise<T>;
  /** Newline-delimited JSON stream (for watch/monitor); resolves when the stream ends. */
  stream(path: string, onObject: (obj: unknown) => void, signal?: AbortSignal): Promise<void>;
}

export function adminClient(socketPath: string): AdminClient {
  return {
    request<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = http.request(
          {
            socketPath,
            path,
            method,
            headers: payload ? { "content-type": "application/json", "content-length": payload.length } : {},
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              let parsed: unknown;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                parsed = { message: text };
              }
              if ((res.statusCode ?? 500) >= 400) {
                const p = (parsed ?? {}) as { code?: number; message?: string; context?: Record<string, unknown> };
                reject(new LockerError(p.message ?? `daemon answered HTTP ${res.statusCode}`, (p.code as ErrorCode) ?? ErrorCode.Locker_InvalidInput, p.context ?? {}));
              } else resolve(parsed as T);
            });
          },
        );
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", (err) => reject(new DaemonUnavailableError(socketPath, err)));
        if (payload) req.write(payload);
        req.end();
      });
    },
    stream(path: string, onObject: (obj: unknown) => void, signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const req = http.request({ socketPath, path, method: "GET", signal }, (res) => {
          let buf = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf("\n")) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (line) onObject(JSON.parse(line));
            }
          });
          res.on("end", () => resolve());
        });
        req.on("error", (err) => ((err as Error).name === "AbortError" ? resolve() : reject(new DaemonUnavailableError(socketPath, err))));
        req.end();
      });
    },
  };
}
