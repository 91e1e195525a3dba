import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The tests that guard src/pipeline under mutation testing: the folder's own tests
 * (test/pipeline: the descent loop, pruning rules, penalties, optimizers, seeds, rate fit,
 * curvature, one run through runPipeline) and the sweep tests that train once for an ε sweep
 * (TrainingCache, trainingKey). Every one runs in-process on small problems.
 */
// the base config with its `include` replaced (mergeConfig would append to it)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/pipeline/**/*.test.ts", "test/sweep/shared-work.test.ts"],
  },
});
