// Mutation testing of src/solvers alone: `npx stryker run test/stryker/solvers.stryker.mjs`.
// Guarded by test/solvers/** (the shared solver suite and each model's tests), run once per
// kernel backend (test/stryker/solvers.vitest.ts): every solver has a WebAssembly branch and a
// TypeScript fallback. The pipeline tests build solvers too but guard the pipeline, and are slow.
import { folderSet } from "./folder-set.mjs";

export default folderSet("solvers");
