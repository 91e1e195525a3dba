import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests (and the binaries they spawn) keep the data/moments cache in a temp folder, never in the user's
// ~/.cache; test/cache-folder.setup.ts deletes it at the end.
const cacheHome = mkdtempSync(join(tmpdir(), "prune-sense-test-cache-"));
process.env.XDG_CACHE_HOME = cacheHome;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // end-to-end tests spawn the built binary and run real (small) trainings
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { XDG_CACHE_HOME: cacheHome },
    globalSetup: ["test/cache-folder.setup.ts"],
  },
});
