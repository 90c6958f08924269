/**
 * The spoken prompts' audio: the clip list the pages compose from
 * (`GET /voice/clips.json`), each clip (`GET /voice/<lang>/<id>`, the
 * centre's recording when there is one, else the default), and the kiosk's
 * report of a clip that would not play (`POST /kiosk/voice-failure`, logged:
 * a silent kiosk must be noticed).
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyPluginAsync } from "fastify";
import type { LockerConfig } from "../../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../../errors/LockerError.js";
import { pageTemplates, type ClipListDoc } from "../../voice/ClipList.js";
import { AUDIO_TYPES, locateClip, readClipList } from "../../voice/clipFiles.js";
import { fromLockerScreen } from "./kioskRoutes.js";

export interface VoiceRouteDeps {
  config: LockerConfig;
  /** The clip list; read from src/http/public/voice/clips.json when absent. */
  clipList?: ClipListDoc;
}

const failureBody = {
  type: "object",
  additionalProperties: false,
  required: ["clip", "reason"],
  properties: {
    clip: { type: "string", maxLength: 120, description: "the clip that failed, `<lang>/<id>`, or the phrase key when no clip exists" },
    reason: { type: "string", maxLength: 200, description: "what the browser said (MediaError code, NotAllowedError…)" },
    keys: { type: "array", maxItems: 10, items: { type: "string", maxLength: 40 }, description: "the phrase keys being said" },
  },
} as const;

export function voiceRoutes(deps: VoiceRouteDeps): FastifyPluginAsync {
  const doc = deps.clipList ?? readClipList();
  const templates = pageTemplates(doc);
  const voice = deps.config.kiosk.voice;
  return async (app) => {
    app.get("/voice/clips.json", { schema: { hide: true } }, async (_req, reply) =>
      reply.header("cache-control", "no-cache").send({ kioskVolume: voice.volume / 100, langs: templates }),
    );

    app.get<{ Params: { lang: string; id: string } }>(
      "/voice/:lang/:id",
      {
        schema: {
          hide: true,
          params: {
            type: "object",
            additionalProperties: false,
            required: ["lang", "id"],
            properties: { lang: { type: "string", maxLength: 10 }, id: { type: "string", maxLength: 64 } },
          },
        },
      },
      async (req, reply) => {
        const at = locateClip(req.params.lang, req.params.id, voice.recordingsDir);
        if (!at.file) return reply.code(404).send({ code: ErrorCode.Locker_InvalidInput, error: "NotFound", message: "没有这段语音。No such clip." });
        // Recordings can be replaced while the daemon runs: read each time (they are a few KiB), revalidate in the browser.
        return reply
          .type(AUDIO_TYPES[path.extname(at.file)]!)
          .header("cache-control", "no-cache")
          .send(await fs.promises.readFile(at.file));
      },
    );

    app.post<{ Body: { clip: string; reason: string; keys?: string[] } }>(
      "/kiosk/voice-failure",
      {
        schema: {
          summary: "The kiosk screen reports a spoken prompt that did not play (logged as a warning); for the locker's own screen only",
          body: failureBody,
          response: { 204: { type: "null", description: "logged" } },
        },
      },
      async (req, reply) => {
        if (!fromLockerScreen(req)) throw new LockerError("voice failures are taken only from the locker's own screen", ErrorCode.Locker_CommandRefused);
        req.log.warn({ ns: "voice", clip: req.body.clip, reason: req.body.reason, keys: req.body.keys }, "kiosk could not play a spoken prompt");
        return reply.code(204).send();
      },
    );
  };
}
