// Mutation testing of src/config alone: `npx stryker run test/stryker/config.stryker.mjs`.
// Guarded by test/config/** (every config error's exact line, defaults, formulas, written
// form round trip, hostile input) and test/sweep/expand.test.ts (overrides, --set/--unset),
// listed in test/stryker/config.vitest.ts. The whole suite would take ~3 h for this folder:
// the pipeline and end-to-end tests resolve configs too but guard other things.
import { folderSet } from "./folder-set.mjs";

export default folderSet("config", {
  // a restarted test runner loads mathjs again (~2 s idle, ~8 s on a loaded machine): with the base's
  // 5 s the run after each real timeout timed out too, a cascade of false timeouts
  timeoutMS: 20_000,
});
