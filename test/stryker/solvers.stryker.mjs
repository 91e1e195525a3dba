// Mutation testing of src/solvers alone: `npx stryker run test/stryker/solvers.stryker.mjs`.
// Guarded by test/solvers/** (the shared solver suite and each model's tests), run once per
// kernel backend (test/stryker/solvers.vitest.ts): every solver has a WebAssembly branch and a
// TypeScript fallback. The pipeline tests build solvers too but guard the pipeline, and are slow.
import base from "../../stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ["src/solvers/**/*.ts"],
  vitest: { configFile: "test/stryker/solvers.vitest.ts" },
  incremental: true,
  incrementalFile: "reports/mutation/solvers.incremental.json",
  jsonReporter: { fileName: "reports/mutation/solvers.json" },
  // a separate sandbox folder, so this can run beside another folder's run
  tempDirName: ".stryker-tmp-solvers",
  concurrency: 1,
};
