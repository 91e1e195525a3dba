// Mutation testing of src/reproduce alone: `npx stryker run test/stryker/reproduce.stryker.mjs`.
// Guarded by test/reproduce/** (claims on fixture records, both halves of every two-part
// check; the reference comparison; the figures; the report's contents; `reproduce` run
// in-process on tiny claim configs), listed in test/stryker/reproduce.vitest.ts. The
// end-to-end `reproduce --quick` test spawns the binary, which mutants never reach.
import base from "../../stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ["src/reproduce/**/*.ts"],
  vitest: { configFile: "test/stryker/reproduce.vitest.ts" },
  incremental: true,
  incrementalFile: "reports/mutation/reproduce.incremental.json",
  jsonReporter: { fileName: "reports/mutation/reproduce.json" },
  // a separate sandbox folder, so this can run beside another folder's run
  tempDirName: ".stryker-tmp-reproduce",
  concurrency: 1,
};
