import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The tests that guard src/pipeline and src/methods under mutation testing: their own tests
 * (test/pipeline: the descent loop, pruning, seeds, rate fit, curvature, one run through
 * runPipeline; test/methods: the penalties, prune rules and optimizers, each kind's shared suite) and the sweep tests of shared training
 * (test/sweep/shared-work.test.ts: TrainingCache, trainingKey). Every one runs in-process on
 * small problems. Left out because every mutant of the descent loop and of runPipeline would
 * pay seconds for them: test/pipeline/data-cache.test.ts (moments big enough to be cached;
 * data-cache-key.test.ts states the key) and shared-work's whole-sweep file comparison
 * (a sweep behaviour, guarded in test/stryker/sweep.vitest.ts).
 */
// the base config with its `include` replaced (mergeConfig would append to it)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/pipeline/**/*.test.ts", "test/methods/**/*.test.ts", "test/sweep/shared-work.test.ts"],
    exclude: [...(base.test?.exclude ?? []), "test/pipeline/data-cache.test.ts"],
    testNamePattern: /^(?!.*writes the same files in one process as run by run)/,
  },
});
