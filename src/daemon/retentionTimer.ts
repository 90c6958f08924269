/** Runs `pruneHistory` a minute after start and then hourly, on a trusted wall clock only. */
import { pruneHistory } from "../store/Retention.js";
import type { Db } from "../store/openDatabase.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

export function startRetentionTimer(db: Db, clock: Clock, log: Logger, everyMs = 3_600_000): () => void {
  const run = () => {
    if (!clock.wallClockTrusted()) return; // the cut-offs are dates: never on a wrong clock
    try {
      const pruned = pruneHistory(db, clock.wallMs());
      if (pruned.outbox + pruned.tokens + pruned.commands > 0) log.info({ ns: "retention", ...pruned }, "pruned delivered events, expired token nonces and old command ids");
    } catch (err) {
      log.warn({ ns: "retention", err: (err as Error).message }, "pruning failed; will retry in an hour");
    }
  };
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
