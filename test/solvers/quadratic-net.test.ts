import { describe, expect, it } from "vitest";
import { findSolver } from "../../src/solvers/registry.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import { drawQuadraticSamples, chooseQuadraticRoute } from "../../src/solvers/quadratic-net.js";
import { createStream } from "../../src/random/streams.js";
import { randomArray, relativeMaxError } from "../helpers.js";

describe("quadratic two-layer network", () => {
  it("has the fast gradient of every route equal to the naive (4/n) Σ r_i x_i x_iᵀ U", () => {
    const spec = { kind: "quadratic-net", d: 7, r: 2, kappa: 1, n: 90, n_test: 10, noise: 0.2 };
    const seed = 4;
    const problem = findSolver("quadratic-net")!.createProblem(spec, problemStreams(seed, spec));
    // the same samples, drawn again from the same (train) stream, for the naive formula
    const data = drawQuadraticSamples(spec.d, spec.r, spec.n, problem.truth.Ustar, spec.noise, problemStreams(seed, spec).train);
    const { d, n } = spec;
    const k = 5;
    const U = randomArray(d * k, "qn-naive", 0.5);
    const naive = new Float64Array(d * k);
    for (let i = 0; i < n; i++) {
      const x = data.X.subarray(i * d, i * d + d);
      let yhat = 0;
      for (let j = 0; j < k; j++) {
        let p = 0;
        for (let a = 0; a < d; a++) p += x[a] * U[a * k + j];
        yhat += p * p;
      }
      const r = yhat - data.y[i];
      // r · x xᵀ U, formed as a d×d matrix per sample: fine in a test
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          for (let j = 0; j < k; j++) naive[a * k + j] += ((4 / n) * r * x[a] * x[b] * U[b * k + j]);
    }
    for (const route of problem.routes) {
      const grad = new Float64Array(d * k);
      problem.createLoss(k, route).valueAndGradient(U, k, grad);
      expect(relativeMaxError(grad, naive), route).toBeLessThan(1e-10);
    }
  });

  it("draws teacher outputs y = ‖U*ᵀx‖² exactly when σ = 0", () => {
    const d = 3, r = 1;
    const Ustar = Float64Array.of(1, 2, -1);
    const s = drawQuadraticSamples(d, r, 4, Ustar, 0, createStream("qn-y"));
    for (let i = 0; i < 4; i++) {
      const p = s.X[i * 3] + 2 * s.X[i * 3 + 1] - s.X[i * 3 + 2];
      expect(s.y[i]).toBeCloseTo(p * p, 12);
    }
  });

  it("picks the cheapest route by operation count", () => {
    expect(chooseQuadraticRoute(50, 100, 10000)).toBe("moments");
    expect(chooseQuadraticRoute(200, 400, 50000)).toBe("gram");
    expect(chooseQuadraticRoute(200, 4, 50000)).toBe("xu");
  });
});
