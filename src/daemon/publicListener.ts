/** Starts the public HTTP(S) listener (with its certificate reloader) and the kiosk screen's own listener. */
import type tls from "node:tls";
import type { FastifyInstance } from "fastify";
import { buildPublicApp, type PublicAppDeps } from "../http/buildPublicApp.js";
import { startKioskListener } from "../http/kioskListener.js";
import { TlsReloader, readTlsPair } from "../http/TlsReloader.js";
import { VERSION } from "./version.js";

export interface PublicListener {
  app: FastifyInstance;
  /** `http(s)://host:port` of the public listener. */
  url: string;
  /** `http://127.0.0.1:port` of the kiosk listener. */
  kioskUrl: string;
  /** Present when HTTPS is on (`http.certFile` and `http.keyFile`). */
  tls?: TlsReloader;
  close(): Promise<void>;
}

export async function startPublicListener(deps: Omit<PublicAppDeps, "https">): Promise<PublicListener> {
  const { config, log } = deps;
  const { certFile, keyFile } = config.http;
  const https = certFile && keyFile ? readTlsPair(certFile, keyFile) : undefined;
  // /openapi.json: built once, on the first request, in a stand-in app with @fastify/swagger (kept off the start-up path).
  let doc: Promise<unknown> | undefined;
  const openApi = () =>
    (doc ??= import("../http/openApiDocument.js")
      .then((m) => m.openApiDocument(config, deps.version ?? VERSION))
      .catch((err: unknown) => {
        doc = undefined;
        throw err;
      }));
  const app = await buildPublicApp({ ...(https ? { https } : {}), openApi, ...deps });
  const url = await app.listen({ host: config.http.host, port: config.http.port });
  let reloader: TlsReloader | undefined;
  if (certFile && keyFile) {
    reloader = new TlsReloader(certFile, keyFile, log);
    reloader.attach(app.server as unknown as tls.Server);
  }
  const kiosk = await startKioskListener(app, config.http.kioskPort);
  return {
    app,
    url,
    kioskUrl: kiosk.url,
    ...(reloader ? { tls: reloader } : {}),
    close: async () => {
      reloader?.stop();
      await kiosk.close();
      await app.close();
    },
  };
}
