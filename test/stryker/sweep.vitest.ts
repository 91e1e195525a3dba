import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The tests that guard src/sweep under mutation testing: the folder's own tests (test/sweep:
 * expansion, plans, limits, shards, resume, both launchers, unsaved runs) and the in-process
 * tests that go through it: a run whose outputs cannot be produced (runSweep's failure domain).
 * Left out: test/cli/program.test.ts, which plans a sweep while its file loads (Stryker then
 * runs every test for every mutant that code reaches), and test/config's
 * error and hostile-input tests, which call planRuns too but spend seconds in formula and
 * parser limits, so every mutant of expand.ts and plan.ts would pay for them; test/sweep
 * states the sweep's own errors and limits. The binary's tests never see mutants.
 */
// the base config with its `include` replaced (mergeConfig would append to it)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/sweep/**/*.test.ts",
      "test/faults/run-failure.test.ts",
    ],
  },
});
