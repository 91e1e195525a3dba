// Mutation testing of src/pipeline and src/methods (the penalties, prune rules and optimizers it runs) (run: npm run build && timeout 3000 npx stryker run test/stryker/pipeline.stryker.mjs).
// Guarded by test/pipeline/** but the slow data-cache runs (descent, pruning, penalties, optimizers, seeds, rate, curvature,
// runPipeline) and test/sweep/shared-work.test.ts (shared training of an ε sweep): see
// test/stryker/pipeline.vitest.ts. They run in-process in a few seconds, so a full run finishes.
import { folderSet } from "./folder-set.mjs";

export default folderSet("pipeline", { mutate: ["src/pipeline/**/*.ts", "src/methods/**/*.ts"] });
