import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests (and the binaries they spawn) keep the data/moments cache in a temp folder, never in the user's
// ~/.cache; test/cache-folder.setup.ts deletes it at the end.
const cacheHome = mkdtempSync(join(tmpdir(), "prune-sense-test-cache-"));
process.env.XDG_CACHE_HOME = cacheHome;

/**
 * Two projects, one per kernel backend (PRUNE_SENSE_KERNELS, see src/linalg/wasm/kernels.ts):
 * "wasm" runs every test with the WebAssembly kernels required; "ts" runs the kernel, solver and
 * pipeline tests again on the TypeScript fallbacks, so CI checks both.
 */
export default defineConfig({
  test: {
    // three test files at once on this 2-core machine: much of the suite waits on the binaries it
    // spawns (measured on an idle clone: 509 s of vitest with two workers, 414 s with three)
    maxWorkers: 3,
    minWorkers: 1,
    // end-to-end tests spawn the built binary and run real (small) trainings
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // each file's temp folders (TMPDIR) are removed after it
    setupFiles: ["test/setup/temp-dir.ts"],
    env: { XDG_CACHE_HOME: cacheHome },
    globalSetup: ["test/cache-folder.setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "wasm", include: ["test/**/*.test.ts"], env: { PRUNE_SENSE_KERNELS: "wasm" } },
      },
      {
        extends: true,
        test: {
          name: "ts",
          include: ["test/linalg/**/*.test.ts", "test/random/**/*.test.ts", "test/solvers/**/*.test.ts", "test/methods/**/*.test.ts", "test/pipeline/**/*.test.ts"],
          // the WebAssembly kernels' own tests need them; backend.test.ts checks that they are off here
          exclude: ["test/linalg/wasm/kernels.test.ts"],
          env: { PRUNE_SENSE_KERNELS: "ts" },
        },
      },
    ],
  },
});
