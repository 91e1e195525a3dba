import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// as in vitest.config.ts: the moments cache in a temp folder, never in the user's ~/.cache
const cacheHome = mkdtempSync(join(tmpdir(), "prune-sense-test-cache-"));
process.env.XDG_CACHE_HOME = cacheHome;

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
    // the second: Stryker credits each test with what its file's beforeAll hooks ran (see the file)
    setupFiles: ["test/setup/temp-dir.ts", "test/stryker/credit-before-all.setup.ts"],
    env: { XDG_CACHE_HOME: cacheHome },
    globalSetup: ["test/cache-folder.setup.ts"],
  },
});
