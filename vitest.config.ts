import { defineConfig } from "vitest/config";

/**
 * Two projects, one per kernel backend (PRUNE_SENSE_KERNELS, see src/linalg/wasm/kernels.ts):
 * "wasm" runs every test with the WebAssembly kernels required; "ts" runs the kernel, solver and
 * pipeline tests again on the TypeScript fallbacks, so CI checks both.
 */
export default defineConfig({
  test: {
    // end-to-end tests spawn the built binary and run real (small) trainings
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // each file's temp folders (TMPDIR) are removed after it
    setupFiles: ["test/setup/temp-dir.ts"],
    projects: [
      {
        extends: true,
        test: { name: "wasm", include: ["test/**/*.test.ts"], env: { PRUNE_SENSE_KERNELS: "wasm" } },
      },
      {
        extends: true,
        test: {
          name: "ts",
          include: ["test/linalg/**/*.test.ts", "test/solvers/**/*.test.ts", "test/pipeline/**/*.test.ts"],
          // the WebAssembly kernels' own tests need them; backend.test.ts checks that they are off here
          exclude: ["test/linalg/wasm/kernels.test.ts"],
          env: { PRUNE_SENSE_KERNELS: "ts" },
        },
      },
    ],
  },
});
