/**
 * The shared checks of an optimizer (methods/optimizers/types.ts), through the
 * descent loop: it decreases a convex quadratic (a least-squares loss over
 * samples, so a minibatch optimizer has batches to draw), it is deterministic
 * given its stream, it draws random numbers only if it samples minibatches, and
 * its steps keep no memory.
 */
import { findOptimizer } from "../methods/optimizers/registry.js";
import type { OptimizerConfig } from "../methods/optimizers/types.js";
import { penaltyOf } from "../methods/penalties/registry.js";
import { descend } from "../pipeline/descend.js";
import { createStream } from "../random/streams.js";
import type { Loss } from "../solvers/types.js";
import { heapGrowth, GROWTH_LIMIT, GROWTH_STEPS, kib, num, randomArray } from "./numeric.js";
import { outcome, type Check } from "./types.js";

/** L(U) = (1/n) Σ (a_iᵀu − y_i)² over u = vec(U), consistent (y = A·u*), so its minimum is 0. */
export function leastSquares(n: number, size: number): Loss {
  const A = randomArray(n * size, "opt-A");
  const ustar = randomArray(size, "opt-ustar");
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let p = 0; p < size; p++) y[i] += A[i * size + p] * ustar[p];
  const rowsLoss = (U: Float64Array, rows: Int32Array | null, offset: number, count: number, grad: Float64Array | null): number => {
    grad?.fill(0);
    let sse = 0;
    for (let b = offset; b < offset + count; b++) {
      const i = rows ? rows[b] : b;
      let r = -y[i];
      for (let p = 0; p < size; p++) r += A[i * size + p] * U[p];
      sse += r * r;
      if (grad) for (let p = 0; p < size; p++) grad[p] += (2 * r * A[i * size + p]) / count;
    }
    return sse / count;
  };
  return {
    valueAndGradient: (U, _k, grad) => rowsLoss(U, null, 0, n, grad),
    trainLoss: (U) => rowsLoss(U, null, 0, n, null),
    testLoss: (U) => rowsLoss(U, null, 0, n, null),
    minibatch: { samples: n, valueAndGradient: (U, _k, rows, offset, count, grad) => rowsLoss(U, rows, offset, count, grad) },
  };
}

/** The optimizer's block with its parameters' defaults (batch_size 10: several batches per epoch of 80 samples). */
function configOf(kind: string): OptimizerConfig {
  const config: Record<string, unknown> = { kind };
  for (const p of findOptimizer(kind)!.params) config[p.name] = p.name === "batch_size" ? 10 : p.default;
  return config as OptimizerConfig;
}

/** `steps` steps of the registered optimizer `kind` from U = 0 at step size 0.01. */
export function runOptimizer(kind: string, seed: string, steps = 400) {
  const loss = leastSquares(80, 6);
  const U = new Float64Array(6);
  const first = loss.trainLoss(U, 3);
  const out = descend(loss, U, {
    d: 2, k: 3, lambda: 0, beta: 0.1, penalty: penaltyOf("none"), optimizer: configOf(kind),
    batchRng: createStream(`opt-${seed}`), stepSize: 0.01, steps, gradTol: 0, perturb: null, perturbRng: null,
    logEvery: 1000, trackGramSteps: false,
  }, () => {});
  return { first, last: loss.trainLoss(U, 3), U, out };
}

const differing = (a: Float64Array, b: Float64Array): number => a.filter((x, i) => !Object.is(x, b[i])).length;

/** The checks of the registered optimizer `kind`. */
export function optimizerChecks(kind: string): Check[] {
  return [
    {
      name: "decreases a convex quadratic by orders of magnitude",
      run() {
        const { first, last, out } = runOptimizer(kind, "a");
        return outcome(out.divergedAt === null && out.steps === 400 && last < 1e-3 * first,
          `loss ${num(first)} → ${num(last)} in ${out.steps} steps (ratio ${num(last / first)}, limit 1e-3)${out.divergedAt === null ? "" : `; diverged at step ${out.divergedAt}`}`);
      },
    },
    {
      name: "is deterministic: the same stream gives the same iterates, bit for bit",
      run() {
        const n = differing(runOptimizer(kind, "a", 50).U, runOptimizer(kind, "a", 50).U);
        return outcome(n === 0, `${n} of 6 entries differ after 50 steps`);
      },
    },
    {
      name: "draws randomness only if it uses minibatches",
      run() {
        const n = differing(runOptimizer(kind, "a", 50).U, runOptimizer(kind, "b", 50).U);
        const sampling = findOptimizer(kind)!.needsSamples;
        return outcome(sampling ? n > 0 : n === 0,
          `${n} of 6 entries differ between two streams (${sampling ? "needsSamples: should differ" : "no samples: should not"})`);
      },
    },
    {
      name: `keeps no memory per step (heap after ${GROWTH_STEPS} steps)`,
      run() {
        const loss = leastSquares(80, 6);
        const U = new Float64Array(6);
        const grad = new Float64Array(6);
        const rule = findOptimizer(kind)!.create(loss, { size: 6, stepSize: 1e-4, config: configOf(kind), rng: createStream("opt-mem") });
        const growth = heapGrowth(() => {
          rule.gradient(U, 3, grad);
          rule.update(U, grad);
        });
        return outcome(growth < GROWTH_LIMIT, `heap change ${growth >= 0 ? "+" : ""}${kib(growth)} (limit +${kib(GROWTH_LIMIT)})`);
      },
    },
  ];
}
