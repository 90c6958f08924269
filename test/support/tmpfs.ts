/**
 * A small real tmpfs a test can fill up (disk-full scenarios): mounted as
 * root or through password-less sudo (`requireMount` in ./tools.js says
 * whether this machine can), owned by the test's user, on a unique
 * mountpoint under the temp folder. Always `unmount()` in afterAll.
 *
 *   const mountCmd = requireMount("the disk-full scenario");
 *   describe.skipIf(!mountCmd)(…, () => { const fs = mountTmpfs(mountCmd!, "8m"); … fs.fill(); … fs.unmount(); });
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Tmpfs {
  /** The mountpoint. */
  dir: string;
  /** Write zeros into `<dir>/filler` until the file system refuses (ENOSPC); returns the filler's path. */
  fill(): string;
  /** Unmount and remove the mountpoint (idempotent). */
  unmount(): void;
}

/** Mount a tmpfs of `size` (mount's syntax: "8m"); `prefix` is `requireMount`'s answer. */
export function mountTmpfs(prefix: string[], size: string): Tmpfs {
  const run = (cmd: string, args: string[]) => (prefix.length ? execFileSync(prefix[0]!, [...prefix.slice(1), cmd, ...args]) : execFileSync(cmd, args));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-tmpfs-"));
  run("mount", ["-t", "tmpfs", "-o", `size=${size},uid=${process.getuid?.() ?? 0},gid=${process.getgid?.() ?? 0},mode=0750`, "tmpfs", dir]);
  let mounted = true;
  return {
    dir,
    fill() {
      const file = path.join(dir, "filler");
      const fd = fs.openSync(file, "a");
      try {
        // Big blocks first, then ever smaller ones down to the last free page.
        for (const bytes of [1 << 20, 64 << 10, 4 << 10, 512]) {
          const buf = Buffer.alloc(bytes);
          try {
            for (;;) fs.writeSync(fd, buf);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
      return file;
    },
    unmount() {
      if (mounted) run("umount", [dir]);
      mounted = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
