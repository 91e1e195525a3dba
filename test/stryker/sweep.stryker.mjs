// Mutation testing of src/sweep alone (run: npm run build && timeout 3000 npx stryker run test/stryker/sweep.stryker.mjs).
// Guarded by test/sweep/** and the in-process tests that plan or run sweeps (config errors,
// hostile input and limits, a run that cannot write its outputs, the CLI program in-process):
// see test/stryker/sweep.vitest.ts. The whole in-process suite was too slow to finish here.
// worker.ts and launchOnWorkers run only in worker threads, which the mutants never reach.
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mutate: ["src/sweep/**/*.ts"],
  vitest: { configFile: "test/stryker/sweep.vitest.ts" },
  incremental: true,
  incrementalFile: "reports/mutation/sweep.incremental.json",
  jsonReporter: { fileName: "reports/mutation/sweep.json" },
  concurrency: 1,
};
