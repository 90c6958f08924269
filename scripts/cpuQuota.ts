/**
 * `--cpu-quota <fraction>` for the benches: run the daemon under a CPU cap,
 * e.g. 0.25 = a quarter of one core, about what a Raspberry Pi 4 core gives
 * compared with this machine's cores.
 *
 * How: a cgroup made for the run. cgroup v1 (`/sys/fs/cgroup/cpu/`):
 * `cpu.cfs_period_us = 100000` and `cpu.cfs_quota_us = fraction × 100000`;
 * cgroup v2: `cpu.max = "<quota> 100000"`. The daemon is started through
 * `sh -c 'echo $$ > <cgroup>/cgroup.procs; exec node …'`, so it is capped
 * from its first instruction (start-up included). Needs root (or write access
 * to the cgroup tree). The cgroup is removed when the bench ends, on Ctrl-C
 * too; a leftover one (`lockerd-bench-<pid>`) can be removed with `rmdir`.
 */
import fs from "node:fs";
import path from "node:path";

export interface CpuQuota {
  /** Fraction of one core, e.g. 0.25. */
  fraction: number;
  dir: string;
  /** [command, args] that start `cmd args…` inside the cgroup. */
  wrap(cmd: string, args: string[]): [string, string[]];
  /** Remove the cgroup (its processes must have exited). */
  remove(): void;
  describe(): string;
}

const PERIOD_US = 100_000;

/** Parse `--cpu-quota <f>` / `--cpu-quota=<f>` from argv; undefined when absent. */
export function cpuQuotaArg(argv: string[] = process.argv.slice(2)): number | undefined {
  const i = argv.findIndex((a) => a === "--cpu-quota" || a.startsWith("--cpu-quota="));
  if (i < 0) return undefined;
  const raw = argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  const f = Number(raw);
  if (!(f > 0 && f <= 64)) {
    process.stderr.write(`--cpu-quota takes a fraction of one core, e.g. 0.25 (got "${raw}")\n`);
    process.exit(2);
  }
  return f;
}

export function createCpuQuota(fraction: number): CpuQuota {
  const quotaUs = Math.round(fraction * PERIOD_US);
  const name = `lockerd-bench-${process.pid}`;
  let dir: string;
  let v: 1 | 2;
  if (fs.existsSync("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")) {
    v = 1;
    dir = path.join("/sys/fs/cgroup/cpu", name);
  } else if (fs.existsSync("/sys/fs/cgroup/cgroup.controllers")) {
    v = 2;
    dir = path.join("/sys/fs/cgroup", name);
  } else {
    throw new Error("--cpu-quota: no cgroup cpu controller found (/sys/fs/cgroup/cpu or cgroup v2)");
  }
  try {
    fs.mkdirSync(dir);
    if (v === 1) {
      fs.writeFileSync(path.join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
      fs.writeFileSync(path.join(dir, "cpu.cfs_quota_us"), String(quotaUs));
    } else {
      fs.writeFileSync(path.join(dir, "cpu.max"), `${quotaUs} ${PERIOD_US}`);
    }
  } catch (err) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // nothing made
    }
    throw new Error(`--cpu-quota: cannot set up cgroup ${dir} (${(err as Error).message}); run as root`);
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    // Processes leave the cgroup when they exit; rmdir fails while one is still in it.
    for (let i = 0; i < 50; i++) {
      try {
        fs.rmdirSync(dir);
        removed = true;
        return;
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
    process.stderr.write(`--cpu-quota: could not remove ${dir}; remove it with: rmdir ${dir}\n`);
  };
  process.once("exit", remove);
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));
  return {
    fraction,
    dir,
    wrap: (cmd, args) => ["/bin/sh", ["-c", `echo $$ > ${dir}/cgroup.procs && exec "$0" "$@"`, cmd, ...args]],
    remove,
    describe: () => `cgroup v${v} ${dir}: ${quotaUs} µs CPU per ${PERIOD_US} µs (${(fraction * 100).toFixed(0)} % of one core)`,
  };
}
