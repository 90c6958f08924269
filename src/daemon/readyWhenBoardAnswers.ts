/**
 * systemd READY=1 only once the board has answered a poll: until then the
 * kiosk shows out-of-service, and a board that never answers makes systemd
 * time the start out and restart us.
 */
import type { Logger } from "../util/logger.js";

/** Calls `onReady` now if the board is online, else when it first is (checked every 250 ms); returns a stop. */
export function readyWhenBoardAnswers(board: { readonly online: boolean }, log: Logger, onReady: (() => void) | undefined): () => void {
  if (board.online) {
    onReady?.();
    return () => {};
  }
  const waitForBoard = setInterval(() => {
    if (!board.online) return;
    clearInterval(waitForBoard);
    log.info("board answered: ready");
    onReady?.();
  }, 250);
  waitForBoard.unref();
  return () => clearInterval(waitForBoard);
}
