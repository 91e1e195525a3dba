/**
 * The descent loop with a penalty applied by its prox: proximal gradient descent
 * (and proximal heavy ball) leave exact zeros, and the logged stationarity
 * measure, the gradient mapping, vanishes at the solution.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { descend } from "../../src/pipeline/descend.js";
import { penaltyOf } from "../../src/methods/penalties/registry.js";
import { columnNorms } from "../../src/pipeline/prune.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import { findSolver } from "../../src/solvers/registry.js";
import type { ProblemSpec } from "../../src/solvers/types.js";
import { randomArray } from "../helpers.js";

const spec: ProblemSpec = { kind: "population", d: 5, r: 1, kappa: 1, n: 1, n_test: 1, noise: 0 };

describe.each([["gd"], ["momentum"]])("exact group Lasso by %s with its prox", (kind) => {
  const k = 4;
  // descent runs in each test (not while the file loads), so mutation testing sees which tests reach it
  let U: Float64Array;
  let out: ReturnType<typeof descend>;
  beforeEach(() => {
    const problem = findSolver("population")!.createProblem(spec, problemStreams(2, spec));
    U = randomArray(5 * k, "prox-descend", 0.3);
    out = descend(problem.createLoss(k), U, {
      d: 5, k, lambda: 0.1, beta: 0.1, penalty: penaltyOf("group-lasso"), optimizer: kind === "gd" ? { kind } : { kind, momentum: 0.5 },
      stepSize: 0.05, steps: 3000, gradTol: 0, perturb: null, perturbRng: null, logEvery: 1000, trackGramSteps: false,
    }, () => {});
  });

  it("sets all but r columns exactly to zero and keeps one near the planted norm", () => {
    const norms = [...columnNorms(U, 5, k)].sort((a, b) => b - a);
    expect(norms.slice(1)).toEqual([0, 0, 0]);
    // at a column aligned with M* (eigenvalue 1): 4a(a² − 1) + λ = 0, a ≈ 1 − λ/8
    expect(norms[0]).toBeCloseTo(1 - 0.1 / 8, 2);
  });

  it("reports the gradient mapping, which vanishes at the solution", () => {
    expect(out.divergedAt).toBeNull();
    expect(out.gradNorm).toBeLessThan(1e-8);
    // the objective counts λ·Σ‖u_i‖
    expect(out.objective).toBeGreaterThan(0.1 * 0.98);
  });
});
