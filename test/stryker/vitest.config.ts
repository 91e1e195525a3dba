import { defineConfig } from "vitest/config";

/**
 * The suite as Stryker runs it (`npm run test:mutation`): the in-process tests only.
 * The end-to-end tests spawn the built binary in dist/, which Stryker's mutants never
 * reach, so they would only slow every run; the benchmark times things and kills nothing.
 * Kernels: whatever the default picks (WebAssembly when built).
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/bench/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ["test/setup/temp-dir.ts"],
  },
});
