/**
 * One suite run against every registered solver and each of its routes:
 * the gradient matches finite differences, all routes agree, the data are
 * deterministic, and plain gradient descent fits a trivial instance.
 */
import { describe, expect, it } from "vitest";
import { solverKinds, findSolver } from "../../src/solvers/registry.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import type { ProblemSpec } from "../../src/solvers/types.js";
import { numericalGradient, randomArray, relativeMaxError } from "../helpers.js";

function spec(kind: string, over: Partial<ProblemSpec> = {}): ProblemSpec {
  return { kind, d: 5, r: 2, kappa: 2, n: 60, n_test: 30, noise: 0.1, ...over };
}

function build(kind: string, over: Partial<ProblemSpec> = {}, seed = 7) {
  const s = spec(kind, over);
  return findSolver(kind)!.createProblem(s, problemStreams(seed, s));
}

describe.each(solverKinds.map((k) => [k]))("solver %s", (kind) => {
  const problem = build(kind);
  // rows of the factor the loss takes (spec.d, or d + d2 for a stacked [U; V])
  const d = problem.factorRows;

  describe.each(problem.routes.map((r) => [r]))("route %s", (route) => {
    for (const k of [1, 3, 4]) {
      it(`has a gradient equal to finite differences (k = ${k})`, () => {
        const loss = problem.createLoss(k, route);
        const U = randomArray(d * k, `${kind}-${route}-${k}`, 0.7);
        const grad = new Float64Array(d * k);
        const value = loss.valueAndGradient(U, k, grad);
        expect(value).toBeCloseTo(loss.trainLoss(U, k), 9);
        const numeric = numericalGradient((W) => loss.trainLoss(W, k), U);
        expect(relativeMaxError(grad, numeric)).toBeLessThan(1e-6);
      });
    }

    it("agrees with every other route", () => {
      const k = 3;
      const U = randomArray(d * k, `${kind}-agree`, 0.5);
      const ref = new Float64Array(d * k);
      const refValue = problem.createLoss(k, problem.routes[0]).valueAndGradient(U, k, ref);
      const grad = new Float64Array(d * k);
      const value = problem.createLoss(k, route).valueAndGradient(U, k, grad);
      expect(Math.abs(value - refValue)).toBeLessThan(1e-10 * Math.max(1, refValue));
      expect(relativeMaxError(grad, ref)).toBeLessThan(1e-10);
    });
  });

  it("logs the same train loss on every route: to 1e-9 relative when large, exactly at round-off level", () => {
    const k = 3;
    const U = randomArray(d * k, `${kind}-logged`, 0.5);
    const values = problem.routes.map((route) => problem.createLoss(k, route).trainLoss(U, k));
    for (const v of values) expect(Math.abs(v - values[0])).toBeLessThan(1e-9 * values[0]);
    // at the planted solution (noise-free problem) the loss is pure round-off: computed directly on every route
    const exact = build(kind, { noise: 0 });
    const Ustar = exact.truth.Ustar;
    const tiny = exact.routes.map((route) => exact.createLoss(exact.spec.r, route).trainLoss(Ustar, exact.spec.r));
    for (const v of tiny) expect(v).toBeLessThan(1e-25);
  });

  it("draws the same data for the same seed and problem, other data for another seed", () => {
    const U = randomArray(d * 2, `${kind}-det`);
    const a = build(kind).createLoss(2).trainLoss(U, 2);
    const b = build(kind).createLoss(2).trainLoss(U, 2);
    const c = build(kind, {}, 8).createLoss(2).trainLoss(U, 2);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  // a model without samples (the population loss) has no test set and no noise draws: these two are not declared for it
  const itWithSamples = findSolver(kind)!.usesSamples ? it : (_name: string, _fn: () => void): void => {};

  itWithSamples("holds out its test loss: n_test fresh draws, independent of the training set", () => {
    const k = 3;
    const U = randomArray(d * k, `${kind}-heldout`, 0.5);
    for (const route of problem.routes) {
      const at = (over: Partial<ProblemSpec>) => {
        const loss = build(kind, over).createLoss(k, route);
        return { train: loss.trainLoss(U, k), test: loss.testLoss(U, k) };
      };
      const base = at({});
      expect(base.test).not.toBe(base.train);
      // more training data changes the train loss, not the test loss; more test data the reverse
      const moreTrain = at({ n: 90 });
      expect(moreTrain.train).not.toBe(base.train);
      expect(moreTrain.test).toBe(base.test);
      const moreTest = at({ n_test: 45 });
      expect(moreTest.test).not.toBe(base.test);
      expect(moreTest.train).toBe(base.train);
    }
  });

  itWithSamples("scales the same noise draws by σ, σ = 0 included (losses quadratic in σ)", () => {
    // from the same streams, y_i(σ) = y_i(0) + σξ_i with the same inputs and ξ for every σ, so
    // L(U; σ) is a quadratic in σ and its third difference over σ = 0, 1, 2, 3 vanishes; skipping
    // the ξ draw at σ = 0 would shift every later draw and break it (runs key the streams by σ as
    // well, pipeline/seeds.ts: each noise level of a sweep gets its own draws)
    const k = 2;
    const U = randomArray(d * k, `${kind}-noise`, 0.5);
    const sameStreams = (noise: number) => findSolver(kind)!.createProblem(spec(kind, { noise }), problemStreams(7, spec(kind, { noise: 0 })));
    for (const route of problem.routes) {
      for (const which of ["trainLoss", "testLoss"] as const) {
        const L = [0, 1, 2, 3].map((noise) => sameStreams(noise).createLoss(k, route)[which](U, k));
        const third = L[3] - 3 * L[2] + 3 * L[1] - L[0];
        expect(Math.abs(third)).toBeLessThan(1e-9 * Math.max(...L));
      }
    }
  });

  it("fits a trivial noiseless instance by plain gradient descent (k = r)", () => {
    const p = build(kind, { d: 4, r: 1, kappa: 1, n: 200, n_test: 50, noise: 0 }, 3);
    const k = 1;
    const loss = p.createLoss(k);
    const U = randomArray(p.factorRows * k, `${kind}-fit`, 0.3);
    const grad = new Float64Array(p.factorRows * k);
    const first = loss.trainLoss(U, k);
    for (let t = 0; t < 3000; t++) {
      loss.valueAndGradient(U, k, grad);
      for (let i = 0; i < U.length; i++) U[i] -= 0.02 * grad[i];
    }
    expect(loss.trainLoss(U, k)).toBeLessThan(1e-10 * Math.max(1, first));
  });
});
