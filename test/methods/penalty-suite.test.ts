/**
 * One suite run against every registered penalty: the value/gradient contract,
 * a finite-difference check of the gradient of a smooth penalty, and, for a
 * penalty applied by its prox, the optimality condition of the prox subproblem.
 */
import { describe, expect, it } from "vitest";
import { findPenalty, penaltyKinds } from "../../src/methods/penalties/registry.js";
import { numericalGradient, randomArray, relativeMaxError } from "../helpers.js";

const value = (kind: string, U: Float64Array, d: number, k: number, beta: number): number =>
  findPenalty(kind)!.addGradient(U, d, k, beta, 0, new Float64Array(d * k), new Float64Array(k));

describe.each(penaltyKinds.map((k) => [k]))("penalty %s", (kind) => {
  const penalty = findPenalty(kind)!;
  const [d, k, beta] = [4, 5, 0.1];

  it("is zero at U = 0 and nonnegative elsewhere", () => {
    expect(value(kind, new Float64Array(d * k), d, k, beta)).toBe(0);
    for (let s = 0; s < 5; s++) expect(value(kind, randomArray(d * k, `pen-${kind}-${s}`), d, k, beta)).toBeGreaterThanOrEqual(0);
  });

  it("returns R(U) whatever λ, adds nothing to the gradient at λ = 0, and λ·(its gradient) at λ", () => {
    const U = randomArray(d * k, `pen-${kind}-lin`, 0.6);
    const g0 = new Float64Array(d * k);
    const r0 = penalty.addGradient(U, d, k, beta, 0, g0, new Float64Array(k));
    expect([...g0].every((x) => x === 0)).toBe(true);
    const g1 = new Float64Array(d * k).fill(1);
    const g3 = new Float64Array(d * k).fill(1);
    expect(penalty.addGradient(U, d, k, beta, 1, g1, new Float64Array(k))).toBe(r0);
    penalty.addGradient(U, d, k, beta, 3, g3, new Float64Array(k));
    for (let i = 0; i < d * k; i++) expect(g3[i] - 1).toBeCloseTo(3 * (g1[i] - 1), 12);
  });

  it("does not depend on the order of the columns", () => {
    const U = randomArray(d * k, `pen-${kind}-perm`);
    const P = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) P[i * k + j] = U[i * k + (k - 1 - j)];
    expect(value(kind, P, d, k, beta)).toBeCloseTo(value(kind, U, d, k, beta), 12);
  });

  if (!penalty.prox) {
    it.each([
      [4, 3, 0.1],
      [1, 1, 1e-3],
      [7, 5, 2],
    ])("has λ∇R equal to finite differences (d=%i, k=%i, β=%f)", (dd, kk, b) => {
      const lambda = 0.3;
      const U = randomArray(dd * kk, `pen-fd-${kind}-${dd}-${kk}`, 0.4);
      const grad = new Float64Array(dd * kk);
      penalty.addGradient(U, dd, kk, b, lambda, grad, new Float64Array(kk));
      const numeric = numericalGradient((W) => lambda * value(kind, W, dd, kk, b), U);
      expect(relativeMaxError(grad, numeric)).toBeLessThan(1e-7);
    });
  } else {
    const prox = penalty.prox;
    // φ(V) = ½‖V − U‖² + t·R(V) is convex, so V = prox(U) is its minimizer iff every
    // one-sided directional derivative φ'(V; δ) is ≥ 0: checked along coordinates and random directions
    it.each([[0.05], [0.5], [2]])("solves its subproblem: no direction decreases ½‖V − U‖² + t·R(V) at V = prox(U) (t = %f)", (t) => {
      const U = randomArray(d * k, `prox-${kind}-${t}`);
      const V = Float64Array.from(U);
      prox(V, d, k, beta, t, new Float64Array(k));
      const phi = (W: Float64Array): number => {
        let s = 0;
        for (let i = 0; i < W.length; i++) s += 0.5 * (W[i] - U[i]) ** 2;
        return s + t * value(kind, W, d, k, beta);
      };
      const base = phi(V);
      const h = 1e-7;
      const directions: Float64Array[] = [];
      for (let i = 0; i < d * k; i++) {
        for (const sign of [1, -1]) {
          const e = new Float64Array(d * k);
          e[i] = sign;
          directions.push(e);
        }
      }
      for (let s = 0; s < 50; s++) directions.push(randomArray(d * k, `prox-dir-${kind}-${s}`));
      for (const e of directions) {
        const W = Float64Array.from(V);
        for (let i = 0; i < W.length; i++) W[i] += h * e[i];
        expect((phi(W) - base) / h).toBeGreaterThan(-1e-6);
      }
    });

    it("is the identity at t = 0", () => {
      const U = randomArray(d * k, `prox-id-${kind}`);
      const V = Float64Array.from(U);
      prox(V, d, k, beta, 0, new Float64Array(k));
      expect(relativeMaxError(V, U)).toBeLessThan(1e-15);
    });
  }
});
