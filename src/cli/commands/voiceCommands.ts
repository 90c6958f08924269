import fs from "node:fs";
import type { Command } from "commander";
import { runAction, globals } from "../CliContext.js";
import { ExitCode } from "../exitCodes.js";
import { formatTable, printJson } from "../output.js";
import { loadConfig } from "../../config/loadConfig.js";
import { clipReport, readClipList, type ClipStatus } from "../../voice/clipFiles.js";

const STATUSES: readonly ClipStatus[] = ["default", "recorded", "missing"];

/** voice list: every spoken-prompt clip and where the kiosk plays it from. Reads the config file, not the daemon. */
export function registerVoiceCommands(program: Command): void {
  const voice = program.command("voice").description("the kiosk's spoken prompts (audio clips)");
  voice
    .command("list")
    .description("list every clip the kiosk can say, with its words, and whether it plays the default, the centre's recording, or nothing")
    .option("--lang <lang>", "only this language (zh-CN, zh-TW, en)")
    .option("--status <status>", `only clips with this status (${STATUSES.join(", ")})`)
    .addHelpText(
      "after",
      `
A centre replaces a clip by recording it: put <kiosk.voice.recordingsDir>/<lang>/<clip>.ogg
(or .opus .mp3 .wav .m4a) with the clip's words, e.g. recordings/zh-CN/sayIdle.ogg; a clip named
doorOpen.2 is the second piece of a phrase around a number. The kiosk uses it at once.
The config is --config <file>, else $LOCKERD_CONFIG, else the built-in default.
Exit codes: 0 every clip plays, 1 some clip is missing (or the recordings folder is not there),
            2 usage error or invalid config.
Example: lockerctl voice list --config /etc/lockerd/config.json --lang zh-CN --status recorded`,
    )
    .action(async (opts: { lang?: string; status?: string }, cmd: Command) =>
      runAction(cmd, async () => {
        const { json, config: given } = globals(cmd);
        if (opts.status !== undefined && !STATUSES.includes(opts.status as ClipStatus)) {
          process.stderr.write(`error: --status must be one of ${STATUSES.join(", ")} (got ${JSON.stringify(opts.status)})\n`);
          return ExitCode.Usage;
        }
        const cfg = loadConfig({ file: given ?? (process.env.LOCKERD_CONFIG || undefined) });
        const dir = cfg.kiosk.voice.recordingsDir;
        const { clips, unused } = clipReport(readClipList(), dir);
        const langs = [...new Set(clips.map((c) => c.lang))];
        if (opts.lang !== undefined && !langs.includes(opts.lang)) {
          process.stderr.write(`error: --lang must be one of ${langs.join(", ")} (got ${JSON.stringify(opts.lang)})\n`);
          return ExitCode.Usage;
        }
        const dirMissing = dir !== undefined && !fs.existsSync(dir);
        const count = (s: ClipStatus) => clips.filter((c) => c.status === s).length;
        const counts = { default: count("default"), recorded: count("recorded"), missing: count("missing") };
        const shown = clips.filter((c) => (!opts.lang || c.lang === opts.lang) && (!opts.status || c.status === opts.status));
        const ok = counts.missing === 0 && !dirMissing;
        if (json) {
          printJson({
            ok,
            recordingsDir: dir ?? null,
            recordingsDirExists: dir === undefined ? null : !dirMissing,
            counts,
            clips: shown.map((c) => ({ clip: c.name, lang: c.lang, id: c.id, key: c.key, status: c.status, file: c.file ?? null, text: c.text })),
            unusedRecordings: unused,
          });
        } else {
          process.stdout.write(
            formatTable(shown, [
              { header: "clip", value: (c) => c.name },
              { header: "status", value: (c) => c.status },
              { header: "words", value: (c) => (c.text.length > 40 ? c.text.slice(0, 39) + "…" : c.text) },
            ]) + "\n",
          );
          process.stdout.write(
            `\n${clips.length} clips: ${counts.default} default, ${counts.recorded} recorded, ${counts.missing} missing; recordings: ${dir ?? "none configured (kiosk.voice.recordingsDir)"}\n`,
          );
          if (dirMissing) process.stdout.write(`warning: the recordings folder ${dir} does not exist\n`);
          for (const f of unused) process.stdout.write(`warning: ${f} is not used: no clip has that name (see the clip column)\n`);
        }
        return ok ? ExitCode.Ok : ExitCode.CheckFailed;
      }),
    );
}
