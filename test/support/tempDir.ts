/** Fresh temp folders for a harness (data dir, SQLite file, sockets), removed by the harness's stop. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function makeTempDir(prefix = "lockerd-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
