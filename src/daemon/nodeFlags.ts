/**
 * V8 flags lockerd runs with, wherever it runs (npm start, the systemd unit,
 * the benchmarks and end-to-end tests that spawn it). A 2 MB young
 * generation instead of Node's 16 MB default keeps the resident set of this
 * small, mostly idle daemon about 30 MB lower (measured: ~130 → ~100 MB) at
 * the cost of more frequent, tiny scavenges. test/deploy checks that
 * package.json and the unit carry the same flags.
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];

/**
 * glibc malloc settings in the daemon's environment (systemd unit and the
 * benchmarks). By default glibc gives every thread that allocates (libuv's
 * pool running SQLite and file I/O, the PIN-hash worker) its own arena and
 * keeps their freed memory: under a flood of pickups that is ~16 MB of RSS
 * (measured with bench:http: peak 131 → 115 MB). Two arenas are plenty for a
 * daemon with one busy thread.
 */
export const MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
