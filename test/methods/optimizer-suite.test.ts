/**
 * One suite run against every registered optimizer, through the descent loop:
 * it decreases a convex quadratic (a least-squares loss over samples, so a
 * minibatch optimizer has batches to draw), it is deterministic given its
 * stream, and it draws random numbers only if it samples minibatches.
 */
import { describe, expect, it } from "vitest";
import { descend } from "../../src/pipeline/descend.js";
import { findOptimizer, optimizerKinds } from "../../src/methods/optimizers/registry.js";
import { penaltyOf } from "../../src/methods/penalties/registry.js";
import { createStream } from "../../src/random/streams.js";
import type { Loss } from "../../src/solvers/types.js";
import { randomArray } from "../helpers.js";

/** L(U) = (1/n) Σ (a_iᵀu − y_i)² over u = vec(U), consistent (y = A·u*), so its minimum is 0. */
function leastSquares(n: number, size: number): Loss {
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

function run(kind: string, seed: string, steps = 400) {
  const optimizer = findOptimizer(kind)!;
  const config: Record<string, unknown> = { kind };
  for (const p of optimizer.params) config[p.name] = p.name === "batch_size" ? 10 : p.default;
  const loss = leastSquares(80, 6);
  const U = new Float64Array(6);
  const first = loss.trainLoss(U, 3);
  const out = descend(loss, U, {
    d: 2, k: 3, lambda: 0, beta: 0.1, penalty: penaltyOf("none"), optimizer: config as { kind: string },
    batchRng: createStream(`opt-${seed}`), stepSize: 0.01, steps, gradTol: 0, perturb: null, perturbRng: null,
    logEvery: 1000, trackGramSteps: false,
  }, () => {});
  return { first, last: loss.trainLoss(U, 3), U, out };
}

describe.each(optimizerKinds.map((k) => [k]))("optimizer %s", (kind) => {
  it("decreases a convex quadratic by orders of magnitude", () => {
    const { first, last, out } = run(kind, "a");
    expect(out.divergedAt).toBeNull();
    expect(out.steps).toBe(400);
    expect(last).toBeLessThan(1e-3 * first);
  });

  it("is deterministic: the same stream gives the same iterates, bit for bit", () => {
    expect([...run(kind, "a", 50).U]).toEqual([...run(kind, "a", 50).U]);
  });

  it("draws randomness only if it uses minibatches", () => {
    const a = run(kind, "a", 50).U;
    const b = run(kind, "b", 50).U;
    if (findOptimizer(kind)!.needsSamples) expect([...a]).not.toEqual([...b]);
    else expect([...a]).toEqual([...b]);
  });
});
