import { describe, expect, it } from "vitest";
import { groupLasso } from "../../src/methods/penalties/group-lasso.js";
import { randomArray } from "../helpers.js";

const norms = (U: Float64Array, d: number, k: number): number[] =>
  Array.from({ length: k }, (_, j) => Math.sqrt(Array.from({ length: d }, (_, i) => U[i * k + j] ** 2).reduce((a, b) => a + b, 0)));

describe("exact group Lasso prox (block soft-thresholding)", () => {
  it("meets the KKT condition column by column: v = 0 iff ‖u‖ ≤ t, else u − v = t·v/‖v‖", () => {
    const [d, k, t] = [3, 12, 1.2];
    const U = randomArray(d * k, "gl-kkt");
    const V = Float64Array.from(U);
    groupLasso.prox!(V, d, k, 0, t, new Float64Array(k));
    const nu = norms(U, d, k);
    const nv = norms(V, d, k);
    let zeros = 0;
    for (let j = 0; j < k; j++) {
      if (nu[j] <= t) {
        zeros++;
        for (let i = 0; i < d; i++) expect(V[i * k + j] === 0).toBe(true);
      } else {
        for (let i = 0; i < d; i++) expect(U[i * k + j] - V[i * k + j]).toBeCloseTo((t * V[i * k + j]) / nv[j], 12);
      }
    }
    // the instance has both kinds of columns, so both branches were checked
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(k);
  });

  it("has value Σ‖u_i‖ and no gradient part (it is applied by its prox)", () => {
    const U = Float64Array.of(3, 0, 4, 1);
    const grad = new Float64Array(4);
    expect(groupLasso.addGradient(U, 2, 2, 0.1, 5, grad, new Float64Array(2))).toBeCloseTo(5 + 1, 14);
    expect([...grad]).toEqual([0, 0, 0, 0]);
  });
});
