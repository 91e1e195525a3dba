/**
 * Every solver with training samples offers a minibatch loss (for sgd): its
 * gradient matches finite differences, and the batch of all samples is the full loss.
 */
import { describe, expect, it } from "vitest";
import { findSolver, solverKinds } from "../../src/solvers/registry.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import type { ProblemSpec } from "../../src/solvers/types.js";
import { numericalGradient, randomArray, relativeMaxError } from "../helpers.js";

function build(kind: string) {
  const s: ProblemSpec = { kind, d: 5, r: 2, kappa: 2, n: 60, n_test: 30, noise: 0.1 };
  return findSolver(kind)!.createProblem(s, problemStreams(7, s));
}

const withSamples = solverKinds.filter((k) => findSolver(k)!.usesSamples);

describe.each(withSamples.map((k) => [k]))("minibatch loss of %s", (kind) => {
  const problem = build(kind);
  const rows = problem.factorRows;
  const k = 3;

  it("has a gradient equal to finite differences on a batch", () => {
    const loss = problem.createLoss(k);
    const mb = loss.minibatch!;
    expect(mb.samples).toBe(60);
    const batch = Int32Array.from([0, 59, 17, 3, 42, 8, 8]);
    const U = randomArray(rows * k, `${kind}-mb`, 0.7);
    const grad = new Float64Array(rows * k);
    mb.valueAndGradient(U, k, batch, 1, 5, grad);
    const numeric = numericalGradient((W) => mb.valueAndGradient(W, k, batch, 1, 5, new Float64Array(rows * k)), U);
    expect(relativeMaxError(grad, numeric)).toBeLessThan(1e-6);
  });

  it("is the full training loss and gradient on the batch of all samples", () => {
    const loss = problem.createLoss(k);
    const all = Int32Array.from({ length: 60 }, (_, i) => 59 - i);
    const U = randomArray(rows * k, `${kind}-mb-all`, 0.5);
    const g = new Float64Array(rows * k);
    const full = new Float64Array(rows * k);
    const v = loss.minibatch!.valueAndGradient(U, k, all, 0, 60, g);
    const vf = loss.valueAndGradient(U, k, full);
    expect(Math.abs(v - vf)).toBeLessThan(1e-10 * vf);
    expect(relativeMaxError(g, full)).toBeLessThan(1e-10);
  });

  it("is different on different batches (it is a sample estimate)", () => {
    const loss = problem.createLoss(k);
    const U = randomArray(rows * k, `${kind}-mb-diff`, 0.5);
    const rowsA = Int32Array.from([0, 1, 2, 3]);
    const rowsB = Int32Array.from([4, 5, 6, 7]);
    const g = new Float64Array(rows * k);
    expect(loss.minibatch!.valueAndGradient(U, k, rowsA, 0, 4, g)).not.toBe(loss.minibatch!.valueAndGradient(U, k, rowsB, 0, 4, g));
  });
});
