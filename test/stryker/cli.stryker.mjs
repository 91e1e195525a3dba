// Mutation testing of src/cli alone: `npm run build && npx stryker run test/stryker/cli.stryker.mjs`.
// Guarded by the in-process tests in test/cli (see cli.vitest.ts): they build the program with a
// recording Io, or call main() with stdout/stderr captured, and run each command on tiny configs;
// `run` and `reproduce` use one training group per sweep, which runSweep runs in this thread, so
// the mutants are reached (the binary's worker threads and spawned processes never see them).
import base from "../../stryker.config.mjs";

export default {
  ...base,
  mutate: ["src/cli/**/*.ts"],
  vitest: { configFile: "test/stryker/cli.vitest.ts" },
  incremental: true,
  incrementalFile: "reports/mutation/cli.incremental.json",
  jsonReporter: { fileName: "reports/mutation/cli.json" },
  concurrency: 1,
};
