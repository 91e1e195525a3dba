// The Stryker options of one folder's set (test/stryker/<folder>.stryker.mjs): that folder's
// files, the tests listed in <folder>.vitest.ts, incremental re-runs, reports named after the
// folder, and a sandbox of its own so two folders' runs can go side by side. One test runner by
// default (this 2-core machine is shared); pass --concurrency 2 on an idle one.
import base from "../../stryker.config.mjs";

/**
 * @param {string} folder  e.g. "cli" for src/cli
 * @param {import('@stryker-mutator/api/core').PartialStrykerOptions} [overrides]
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function folderSet(folder, overrides = {}) {
  return {
    ...base,
    mutate: [`src/${folder}/**/*.ts`],
    vitest: { configFile: `test/stryker/${folder}.vitest.ts` },
    incremental: true,
    incrementalFile: `reports/mutation/${folder}.incremental.json`,
    jsonReporter: { fileName: `reports/mutation/${folder}.json` },
    tempDirName: `.stryker-tmp-${folder}`,
    concurrency: 1,
    ...overrides,
  };
}
