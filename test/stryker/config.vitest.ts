import base from "./vitest.config.js";

/**
 * The tests that guard src/config under Stryker (test/stryker/config.stryker.mjs):
 * the folder's own in-process tests (every config error's exact line, defaults,
 * formulas, overrides, the written form's round trip, hostile input) and sweep
 * expansion, whose overrides (--set/--unset) resolve through the config. The fuzz
 * test is left out: it states no behaviour a mutant could break that the others do
 * not, takes 11 s a run and spawns the binary.
 * (`include` is replaced, not merged: mergeConfig would append to the base's list.)
 */
export default {
  ...base,
  test: {
    ...base.test,
    // one worker, modules kept between files and mutants: mathjs (~2 s to load) and the
    // kernels load once instead of once per test file per mutant
    isolate: false,
    include: ["test/config/**/*.test.ts", "test/sweep/expand.test.ts"],
    exclude: [...(base.test?.exclude ?? []), "test/config/fuzz.test.ts"],
    // the timing tests (hostile-input's "linear time" checks) measure speed, which instrumented code
    // under a shared machine's load does not have; their messages are checked apart from the timing
    testNamePattern: /^(?!.*(linear time|quadratic duplicate check|100k-term sum)).*$/,
  },
};
