// Mutation testing of src/reproduce alone: `npx stryker run test/stryker/reproduce.stryker.mjs`.
// Guarded by test/reproduce/** (claims on fixture records, both halves of every two-part
// check; the reference comparison; the figures; the report's contents; `reproduce` run
// in-process on tiny claim configs), listed in test/stryker/reproduce.vitest.ts. The
// end-to-end `reproduce --quick` test spawns the binary, which mutants never reach.
import { folderSet } from "./folder-set.mjs";

export default folderSet("reproduce");
