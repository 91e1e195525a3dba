import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The tests that guard src/cli under mutation (test/stryker/cli.stryker.mjs): the in-process
 * CLI tests in test/cli, which build the program with a recording Io (or call main) and run
 * every command, run/plot/reproduce/bench included, on tiny configs in this thread.
 * The end-to-end tests spawn the built binary, which mutants never reach: left out.
 */
const config = mergeConfig(base, defineConfig({ test: {} }));
// mergeConfig concatenates arrays: replace the base's include (the whole in-process suite)
config.test!.include = ["test/cli/**/*.test.ts"];
export default config;
