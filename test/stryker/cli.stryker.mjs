// Mutation testing of src/cli alone: `npm run build && npx stryker run test/stryker/cli.stryker.mjs`.
// Guarded by the in-process tests in test/cli (see cli.vitest.ts): they build the program with a
// recording Io, or call main() with stdout/stderr captured, and run each command on tiny configs;
// `run` and `reproduce` use one training group per sweep, which runSweep runs in this thread, so
// the mutants are reached (the binary's worker threads and spawned processes never see them).
import { folderSet } from "./folder-set.mjs";

export default folderSet("cli");
