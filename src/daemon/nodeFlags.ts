/**
 * V8 flags lockerd runs with, wherever it runs (npm start, the systemd unit,
 * the benchmarks and end-to-end tests that spawn it). A 2 MB young
 * generation instead of Node's 16 MB default keeps the resident set of this
 * small, mostly idle daemon about 30 MB lower (measured: ~130 → ~100 MB) at
 * the cost of more frequent, tiny scavenges. test/deploy checks that
 * package.json and the unit carry the same flags.
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];
