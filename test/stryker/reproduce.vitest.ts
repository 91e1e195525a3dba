import base from "./vitest.config.js";

/**
 * The tests that guard src/reproduce under Stryker (test/stryker/reproduce.stryker.mjs):
 * test/reproduce/** (every claim on records that show its behaviour and records that do
 * not, both halves of each two-part check; the comparison with a reference; the claim and
 * method figures; REPORT.md and report.html; `reproduce` itself in-process on tiny claim
 * configs). report-browser.test.ts is left out: it measures the page in chromium, which
 * a mutant's text changes do not reach, and takes seconds a run.
 * (`include` is replaced, not merged: mergeConfig would append to the base's list.)
 */
export default {
  ...base,
  test: {
    ...base.test,
    // one worker, modules kept between files and mutants: mathjs (~2 s to load) and the
    // kernels load once instead of once per test file per mutant
    isolate: false,
    include: ["test/reproduce/**/*.test.ts"],
    exclude: [...(base.test?.exclude ?? []), "test/reproduce/report-browser.test.ts"],
  },
};
