import { describe, expect, it } from "vitest";
import { addBalance, pairedGradient, pairedProduct } from "../../src/linalg/paired.js";
import { asymmetricSensing, drawGaussianMeasurements } from "../../src/solvers/asymmetric-sensing.js";
import { problemStreams } from "../../src/pipeline/seeds.js";
import { createStream } from "../../src/random/streams.js";
import type { ProblemSpec } from "../../src/solvers/types.js";
import { numericalGradient, randomArray, relativeMaxError } from "../helpers.js";

/** U·Vᵀ the naive way, from W = [U; V]. */
function naiveProduct(W: Float64Array, d: number, d2: number, k: number): Float64Array {
  const out = new Float64Array(d * d2);
  for (let i = 0; i < d; i++) for (let j = 0; j < d2; j++) for (let c = 0; c < k; c++) out[i * d2 + j] += W[i * k + c] * W[(d + j) * k + c];
  return out;
}

describe("paired-factor kernels", () => {
  it.each([[3, 5, 2], [1, 1, 1], [6, 4, 7]])("U·Vᵀ matches the naive product (d=%i, d2=%i, k=%i)", (d, d2, k) => {
    const W = randomArray((d + d2) * k, `paired-${d}-${d2}-${k}`);
    expect(relativeMaxError(pairedProduct(W, d, d2, k, new Float64Array(d * d2)), naiveProduct(W, d, d2, k))).toBeLessThan(1e-14);
  });

  it("gives the gradient of ⟨G, UVᵀ⟩ (finite differences)", () => {
    const [d, d2, k] = [3, 4, 2];
    const W = randomArray((d + d2) * k, "pg-W");
    const G = randomArray(d * d2, "pg-G");
    const f = (X: Float64Array) => naiveProduct(X, d, d2, k).reduce((s, v, p) => s + G[p] * v, 0);
    const grad = pairedGradient(G, W, d, d2, k, 1, new Float64Array((d + d2) * k));
    expect(relativeMaxError(grad, numericalGradient(f, W))).toBeLessThan(1e-8);
  });

  it("gives the value and gradient of μ‖UᵀU − VᵀV‖²_F (finite differences)", () => {
    const [d, d2, k, mu] = [3, 5, 4, 0.7];
    const W = randomArray((d + d2) * k, "bal-W", 0.8);
    const grad = new Float64Array((d + d2) * k);
    const B = new Float64Array(k * k);
    addBalance(W, d, d2, k, mu, grad, B);
    const numeric = numericalGradient((X) => addBalance(X, d, d2, k, mu, null, new Float64Array(k * k)), W);
    expect(relativeMaxError(grad, numeric)).toBeLessThan(1e-7);
    // zero for a balanced factor: V = U (d = d2)
    const U = randomArray(3 * 2, "bal-U");
    expect(addBalance(Float64Array.from([...U, ...U]), 3, 3, 2, mu, null, new Float64Array(4))).toBeLessThan(1e-25);
  });
});

describe("asymmetric sensing", () => {
  const spec: ProblemSpec = { kind: "asymmetric-sensing", d: 4, d2: 6, r: 2, kappa: 2, n: 80, n_test: 20, noise: 0, balance: 0.3 };
  const problem = asymmetricSensing.createProblem(spec, problemStreams(3, spec));

  it("plants M* = U*V*ᵀ (d×d2) with singular values s_i², recovered at the planted factor", () => {
    expect(problem.factorRows).toBe(10);
    expect(problem.truth.Mstar.length).toBe(24);
    // ‖M*‖²_F = Σ s_i⁴ for orthonormal Q_U, Q_V
    const s = problem.truth.singularValues;
    expect(problem.truth.MstarNorm).toBeCloseTo(Math.sqrt(s.reduce((a, x) => a + x ** 4, 0)), 12);
    expect(problem.recoveryError(problem.truth.Ustar, 2)).toBe(0);
  });

  it("includes the balancing term in the loss and its gradient (finite differences, both routes)", () => {
    for (const route of problem.routes) {
      const loss = problem.createLoss(3, route);
      const W = randomArray(10 * 3, `asym-bal-${route}`, 0.6);
      const grad = new Float64Array(30);
      loss.valueAndGradient(W, 3, grad);
      expect(relativeMaxError(grad, numericalGradient((X) => loss.trainLoss(X, 3), W))).toBeLessThan(1e-6);
      // the balancing term is part of it: it differs from the loss without it
      const plain = asymmetricSensing.createProblem({ ...spec, balance: 0 }, problemStreams(3, spec)).createLoss(3, route);
      expect(loss.trainLoss(W, 3) - plain.trainLoss(W, 3)).toBeCloseTo(addBalance(W, 4, 6, 3, 0.3, null, new Float64Array(9)), 10);
    }
  });

  it("steps on the loss it logs: the step's value is the train loss, balancing term included (both routes)", () => {
    for (const route of problem.routes) {
      const loss = problem.createLoss(3, route);
      const W = randomArray(10 * 3, `asym-value-${route}`, 0.6);
      const bal = addBalance(W, 4, 6, 3, 0.3, null, new Float64Array(9));
      expect(bal, "a factor far from balanced").toBeGreaterThan(0.01);
      expect(loss.valueAndGradient(W, 3, new Float64Array(30)), route).toBeCloseTo(loss.trainLoss(W, 3), 12);
    }
  });

  it("a minibatch of every row gives the full step, balancing term included", () => {
    const loss = problem.createLoss(3, "direct");
    const W = randomArray(10 * 3, "asym-batch", 0.6);
    const full = new Float64Array(30);
    const batch = new Float64Array(30);
    const value = loss.valueAndGradient(W, 3, full);
    const rows = Int32Array.from({ length: 80 }, (_, i) => i);
    expect(loss.minibatch!.valueAndGradient(W, 3, rows, 0, 80, batch)).toBeCloseTo(value, 12);
    expect(relativeMaxError(batch, full)).toBeLessThan(1e-12);
  });

  it("logs the train loss from the moments while it is above 1e-6·c, and on the data below (no round-off floor)", () => {
    const noiseless = asymmetricSensing.createProblem({ ...spec, balance: 0 }, problemStreams(3, spec));
    const moments = noiseless.createLoss(2, "moments");
    const direct = noiseless.createLoss(2, "direct");
    // at the planted factor the moments' cancellation error (~1e-16·c) would be all there is
    const atTruth = moments.trainLoss(noiseless.truth.Ustar, 2);
    expect(atTruth).toBe(direct.trainLoss(noiseless.truth.Ustar, 2));
    expect(atTruth).toBeLessThan(1e-28);
    // away from it the moments' value is used: the step's own value, to the bit
    const W = randomArray(10 * 2, "asym-log", 0.6);
    expect(moments.trainLoss(W, 2)).toBe(moments.valueAndGradient(W, 2, new Float64Array(20)));
  });

  it("is an isometry on average: mean ⟨A, X⟩² ≈ ‖X‖²_F", () => {
    const m = 12;
    const X = randomArray(m, "asym-iso");
    const data = drawGaussianMeasurements(m, 20000, X, 0, createStream("asym-iso-data"));
    let mean = 0;
    for (let i = 0; i < data.n; i++) mean += data.y[i] ** 2 / data.n;
    const fro = X.reduce((a, v) => a + v * v, 0);
    // relative standard error sqrt(2/n) = 1%
    expect(Math.abs(mean / fro - 1)).toBeLessThan(0.05);
  });
});
