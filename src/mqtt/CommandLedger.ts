/**
 * Memory of remote commands (SQL in `store/CommandRepo.ts`):
 * single-use ids survive restarts, and accepted opens are counted for the
 * per-hour cap. Times are wall ms: commands are only accepted while the wall
 * clock is trusted.
 */
import { type CommandOutcome, CommandRepo } from "../store/CommandRepo.js";
import type { Db } from "../store/openDatabase.js";

const HOUR_MS = 3_600_000;

export class CommandLedger {
  private readonly repo: CommandRepo;

  constructor(db: Db) {
    this.repo = new CommandRepo(db);
  }

  /** Remember `id`; false when it was already used (a replay). */
  claim(id: string, name: string, wallMs: number): boolean {
    return this.repo.insertIfNew(id, name, wallMs);
  }

  /** Final outcome of a claimed command ("refused" ones do not count toward the cap). */
  settle(id: string, outcome: CommandOutcome): void {
    this.repo.setOutcome(id, outcome);
  }

  /** Opens accepted in the rolling hour before `wallMs`. */
  opensInLastHour(wallMs: number): number {
    return this.repo.countOpensSince(wallMs - HOUR_MS);
  }

  /**
   * Forget ids older than `keepMs` before `wallMs`. Safe once they are past
   * the timestamp window: an old id would be refused as stale anyway.
   */
  forgetBefore(wallMs: number, keepMs: number): void {
    this.repo.deleteBefore(wallMs - Math.max(keepMs, HOUR_MS));
  }
}
