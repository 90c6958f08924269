/**
 * Server-sent events for the kiosk: subscribes once to the domain bus and
 * fans out to every open `/kiosk/events` stream. Each event is a named SSE
 * event with a JSON payload: `prompt` (DoorPrompt), `compartments`
 * (CompartmentSnapshot[]), `qr` ({url, svg, expiresAtWallMs}), `board`
 * ({online, reason?}), `storage` ({ok}: false while the disk refuses writes).
 */
import type { ServerResponse } from "node:http";
import type { DomainEvents } from "../locker/events.js";

export interface QrView {
  url: string;
  svg: string;
  expiresAtWallMs: number;
}

/** The QR code as an SVG string (dark modules on white, quiet zone 2). */
export async function qrSvg(url: string): Promise<string> {
  // Loaded on the first QR, not at start-up (qrcode and pngjs: ~15 ms of module loading here, ~60 ms on a Pi).
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(url, { type: "svg", margin: 2, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}

export class KioskFeed {
  private readonly clients = new Set<ServerResponse>();
  private readonly off: Array<() => void> = [];
  private readonly heartbeat: NodeJS.Timeout;
  /** Latest QR, so a page that connects later starts with it. */
  lastQr: QrView | undefined;

  /** @param heartbeatMs comment line sent to keep proxies and the kiosk browser from dropping the stream. */
  constructor(events: DomainEvents, heartbeatMs = 15_000) {
    const on = <K extends "doorPrompt" | "compartmentsChanged" | "qrRotated" | "boardOnline" | "boardOffline" | "storageFailed" | "storageRecovered">(
      k: K,
      f: (...a: never[]) => void,
    ) => {
      events.on(k, f as never);
      this.off.push(() => events.off(k, f as never));
    };
    on("doorPrompt", ((p: unknown) => this.send("prompt", p)) as never);
    on("compartmentsChanged", ((c: unknown) => this.send("compartments", c)) as never);
    on("boardOnline", (() => this.send("board", { online: true })) as never);
    on("boardOffline", ((r: { reason: string }) => this.send("board", { online: false, reason: r.reason })) as never);
    on("storageFailed", (() => this.send("storage", { ok: false })) as never);
    on("storageRecovered", (() => this.send("storage", { ok: true })) as never);
    on("qrRotated", (async (q: { url: string; expiresAtWallMs: number }) => {
      this.lastQr = { url: q.url, svg: await qrSvg(q.url), expiresAtWallMs: q.expiresAtWallMs };
      this.send("qr", this.lastQr);
    }) as never);
    this.heartbeat = setInterval(() => this.broadcast(": keep-alive\n\n"), heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Streams open at once at most (the kiosk needs one; the route is not rate-limited). */
  static readonly MAX_CLIENTS = 16;

  /** Take over a raw response as an SSE stream until the client goes away; false when full. */
  attach(res: ServerResponse, headers: Record<string, string>): boolean {
    if (this.clients.size >= KioskFeed.MAX_CLIENTS) return false;
    res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write("retry: 2000\n\n");
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
    return true;
  }

  send(event: string, data: unknown): void {
    this.broadcast(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(chunk: string): void {
    for (const c of this.clients) if (!c.writableEnded) c.write(chunk);
  }

  /** Stop listening and end every stream (app close). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const f of this.off.splice(0)) f();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
