import base from "./vitest.config.js";

/**
 * The tests that guard src/solvers under Stryker (test/stryker/solvers.stryker.mjs):
 * test/solvers/** (the shared solver suite: gradients against finite differences,
 * routes agreeing, determinism, held-out test loss, noise scaling; each model's own
 * tests; the minibatch losses), run twice, once per kernel backend, because each
 * solver has a WebAssembly branch and a TypeScript fallback and a mutant in either
 * must be caught (PRUNE_SENSE_KERNELS is read once per process, so one project each).
 */
const include = ["test/solvers/**/*.test.ts"];
export default {
  ...base,
  test: {
    ...base.test,
    include,
    projects: [
      { extends: true, test: { name: "wasm", include, env: { PRUNE_SENSE_KERNELS: "wasm" } } },
      { extends: true, test: { name: "ts", include, env: { PRUNE_SENSE_KERNELS: "ts" } } },
    ],
  },
};
