/**
 * V8 flags lockerd runs with, wherever it runs (npm start, the systemd unit,
 * the benchmarks and end-to-end tests that spawn it). test/deploy checks that
 * package.json and the unit carry the same flags.
 * - `--max-semi-space-size=2`: a 2 MB young generation instead of Node's
 *   16 MB default keeps the resident set of this small, mostly idle daemon
 *   about 30 MB lower (measured: ~130 → ~100 MB) at the cost of more
 *   frequent, tiny scavenges.
 * - `--max-old-space-size=256`: V8's heap controller lets the old generation
 *   grow by a factor that is smaller when this limit is small (the default
 *   limit on a machine with GBs of memory is 2 GB or more: the largest factor),
 *   and the pages it grows into are resident.
 *   The live heap is ~22 MB, so 256 MB leaves ten times the room, while the
 *   smaller growing factor keeps ~10 MB less of garbage resident (bench:http
 *   steady RSS 95 → 85 MB).
 * Measured and not taken (bench:http, 30 s, load 3–4): `--optimize-for-size`
 * (steady RSS −3 MB, but at 25 % of a core −15 % requests/s and the genuine
 * pickup 700 → 800–1000 ms); `--bytecode-old-age=1`, `--max-semi-space-size=1`,
 * `--heap-growing-percent=20`, `--v8-pool-size=1` (within the ±3 MB noise);
 * `--compact-on-every-full-gc` (a 117 MB spike while compacting); `--lite-mode`
 * and `--no-opt` (−30 MB, a quarter to half the requests/s; `--max-opt=1`,
 * Sparkplug only: −10 MB, a fifth of the requests/s). In the soak (1,500
 * stories, 2026-12-07): `--max-semi-space-size=1`, `--single-threaded` and
 * MALLOC_ARENA_MAX=1 all within ±1 MB of these settings. What did bring the
 * peak under 100 MB is elsewhere: the scrypt shape (SCRYPT_SHAPE in
 * src/locker/PinHasher.ts, −8 MB whenever a hash runs), reused prepared
 * statements (src/store/statements.ts, −4 MB) and a 1 MB SQLite page cache.
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--max-old-space-size=256"];

/**
 * glibc malloc settings in the daemon's environment (systemd unit, npm start,
 * the benchmarks). By default glibc gives every thread that allocates (libuv's
 * pool running scrypt, SQLite backups and file I/O) its own arena and keeps
 * their freed memory: two arenas are plenty for a daemon with one busy thread
 * (bench:http peak 131 → 115 MB; one arena instead of two measured the same).
 * A fixed mmap threshold of 1 MB gives each block of 1 MB or more its own
 * mapping, returned to the system at free: a PIN
 * hash's 8 MB scrypt block is resident only while the hash runs, whichever
 * pool thread ran it. (glibc's default threshold starts at 128 kB but rises to
 * the size of the largest block freed, so after the first hash every scrypt
 * block stayed in an arena for good.) Few allocations are that large (V8 maps
 * its own heap), so the extra mmap calls cost nothing measurable.
 */
export const MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "1048576" };
