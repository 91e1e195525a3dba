// Mutation testing of src/sweep alone (run: npm run build && timeout 3000 npx stryker run test/stryker/sweep.stryker.mjs).
// Guarded by test/sweep/** and test/faults/run-failure.test.ts (a run that cannot write its
// outputs): see test/stryker/sweep.vitest.ts. The whole
// in-process suite was too slow to finish here. worker.ts runs only in worker threads (the
// built one in dist/), which the mutants never reach; launchOnWorkers is driven with it.
import { folderSet } from "./folder-set.mjs";

export default folderSet("sweep");
