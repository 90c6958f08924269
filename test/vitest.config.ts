import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more workers only make the serial/timing tests fight for the CPU.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
