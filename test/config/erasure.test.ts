/** The stationarity bound behind the erasure warning, and the formula quantities the scaling uses. */
import { describe, expect, it } from "vitest";
import { maxStationarityGap, weakestColumnSurvives } from "../../src/config/erasure.js";
import { resolveConfig } from "../../src/config/resolve.js";

/** h(a) = 4c(σ² − a) − λ(a + 2β)/(a + β)^{3/2} on a fine grid: the naive twin of the ternary search. */
function gridMax(sigma: number, lambda: number, beta: number, c: number): number {
  let best = -Infinity;
  for (let i = 0; i <= 100000; i++) {
    const a = (sigma * sigma * i) / 100000;
    best = Math.max(best, 4 * c * (sigma * sigma - a) - (lambda * (a + 2 * beta)) / (a + beta) ** 1.5);
  }
  return best;
}

describe("the weakest column's stationarity bound", () => {
  it.each([
    [1, 0.1, 0.1, 1], [0.2, 0.1, 0.1, 1], [1 / 3, 0.1, 0.1, 3], [0.5, 0.1, 1e-4, 1], [0.1, 1e-3, 1e-2, 1], [0.3, 0.05, 0.5, 3],
  ])("finds the maximum of the concave h (σ = %s, λ = %s, β = %s, c = %s)", (sigma, lambda, beta, c) => {
    expect(maxStationarityGap(sigma, lambda, beta, c)).toBeCloseTo(gridMax(sigma, lambda, beta, c), 6);
  });

  it("says the defaults λ = β = 0.1 erase the weakest sensing column from κ = 3 on, and the quadratic net's from κ = 5", () => {
    const survives = (kappa: number, c: number) => weakestColumnSurvives(1 / kappa, 0.1, 0.1, c);
    expect([1, 2, 3, 5, 10].map((k) => survives(k, 1))).toEqual([true, true, false, false, false]);
    expect([1, 2, 3, 5, 10].map((k) => survives(k, 3))).toEqual([true, true, true, false, false]);
  });

  it("is scale-free for λ = σ³, β = σ² (h = σ²·(2 at a = 0)), so the scaled config never warns", () => {
    for (const sigma of [1, 0.3, 0.1, 0.01]) {
      expect(maxStationarityGap(sigma, sigma ** 3, sigma ** 2, 1) / sigma ** 2).toBeCloseTo(2, 9);
      expect(weakestColumnSurvives(sigma, sigma ** 3, sigma ** 2, 1)).toBe(true);
    }
  });

  it("never warns without a penalty", () => {
    expect(weakestColumnSurvives(1e-3, 0, 0.1, 1)).toBe(true);
  });
});

describe("formula quantities", () => {
  it("n_ratio is n/(d·r) and curvature is the solver's top Hessian eigenvalue at U*", () => {
    const resolve = (kind: string, kappa: number) =>
      resolveConfig({ problem: { kind, d: 10, r: 2, n: 600, kappa }, train: { step_size: "1 / curvature", steps: "n_ratio" } }).config.train;
    expect(resolve("matrix-sensing", 4).steps).toBe(30);
    expect(resolve("matrix-sensing", 4).step_size).toBe(1 / 8);
    expect(resolve("population", 4).step_size).toBe(1 / 8);
    // quadratic net: 16σ_1² + 8(σ_1² + σ_2²) with σ = 1, 1/4
    expect(resolve("quadratic-net", 4).step_size).toBeCloseTo(1 / (16 + 8 * (1 + 1 / 16)), 15);
  });

  it("the warning comes with the resolution for the default λ at κ = 5, not at κ = 1", () => {
    expect(resolveConfig({ problem: { kappa: 5 } }).warnings.some((w) => w.startsWith("train.lambda, train.beta:"))).toBe(true);
    expect(resolveConfig({ problem: { kappa: 1 } }).warnings).toEqual([]);
  });
});
