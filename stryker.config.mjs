// Mutation testing (`npm run test:mutation`, not in CI): StrykerJS applies small changes
// to src/ and checks that some test fails. src/linalg and wasm/ are left out: every kernel
// there is already tested against a naive twin. The machine is shared, so run one folder at
// a time (see README, "Tests"): npm run test:mutation -- --mutate 'src/pipeline/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "test/stryker/vitest.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: ["src/**/*.ts", "!src/linalg/**", "!src/**/*.d.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 5_000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  ignorePatterns: ["results", "reports", ".stryker-tmp"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
