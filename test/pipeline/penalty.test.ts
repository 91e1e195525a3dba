import { describe, expect, it } from "vitest";
import { addGroupLasso, groupLasso } from "../../src/pipeline/penalty.js";
import { numericalGradient, randomArray, relativeMaxError } from "../helpers.js";

describe("smooth group Lasso R_β", () => {
  it.each([
    [4, 3, 0.1],
    [1, 1, 1e-3],
    [7, 5, 2],
  ])("has λ∇R_β equal to finite differences (d=%i, k=%i, β=%f)", (d, k, beta) => {
    const lambda = 0.3;
    const U = randomArray(d * k, `pen-${d}-${k}`, 0.4);
    const grad = new Float64Array(d * k);
    const value = addGroupLasso(U, d, k, beta, lambda, grad, new Float64Array(k));
    expect(value).toBeCloseTo(groupLasso(U, d, k, beta), 12);
    const numeric = numericalGradient((W) => lambda * groupLasso(W, d, k, beta), U);
    expect(relativeMaxError(grad, numeric)).toBeLessThan(1e-7);
  });

  it("acts like ‖u‖²/√β near zero and like ‖u‖ far from it", () => {
    const beta = 0.01;
    const tiny = Float64Array.of(1e-4, 0);
    expect(groupLasso(tiny, 2, 1, beta) / (1e-8 / Math.sqrt(beta))).toBeCloseTo(1, 5);
    const big = Float64Array.of(300, 400);
    expect(groupLasso(big, 2, 1, beta) / 500).toBeCloseTo(1, 6);
  });

  it("adds nothing to the gradient when λ = 0", () => {
    const U = randomArray(6, "pen-zero");
    const grad = new Float64Array(6);
    addGroupLasso(U, 2, 3, 0.1, 0, grad, new Float64Array(3));
    expect([...grad]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
