import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The tests that guard src/sweep under mutation testing: the folder's own tests (test/sweep:
 * expansion, plans, limits, shards, resume, the in-process launcher, a failing run) and the
 * in-process tests that go through it: config errors and hostile input (planRuns, the limits),
 * a run whose outputs cannot be produced (runSweep's failure domain) and the CLI program
 * in-process (plans written beside the runs). The binary's tests never see mutants.
 */
// the base config with its `include` replaced (mergeConfig would append to it)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/sweep/**/*.test.ts",
      "test/config/errors.test.ts",
      "test/config/hostile-input.test.ts",
      "test/faults/run-failure.test.ts",
      "test/cli/program.test.ts",
    ],
  },
});
