import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // end-to-end tests spawn the built binary and run real (small) trainings
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
