import { describe, expect, it } from "vitest";
import { create, all } from "mathjs";
import { smallestHessianEigenvalue, smallestTridiagonalEigenvalue } from "../../src/pipeline/curvature.js";
import { createStream } from "../../src/random/streams.js";
import { randomArray } from "../helpers.js";

const math = create(all);

describe("curvature at the trained point", () => {
  it("finds the smallest eigenvalue of a tridiagonal matrix (against mathjs eigs)", () => {
    for (const n of [1, 2, 5, 17]) {
      const a = [...randomArray(n, `tri-a-${n}`)];
      const b = [...randomArray(Math.max(0, n - 1), `tri-b-${n}`)];
      const T = a.map((ai, i) => a.map((_, j) => (i === j ? ai : Math.abs(i - j) === 1 ? b[Math.min(i, j)] : 0)));
      const values = (math.eigs(T).values as number[]).map(Number);
      expect(smallestTridiagonalEigenvalue(a, b)).toBeCloseTo(Math.min(...values), 10);
    }
  });

  it("finds λ_min of a quadratic's Hessian from gradients only", () => {
    // f(u) = ½ uᵀAu with A = BBᵀ − 2I: gradient Au, Hessian A
    const n = 12;
    const B = randomArray(n * n, "hess-B", 0.4);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? -2 : 0;
        for (let l = 0; l < n; l++) s += B[i * n + l] * B[j * n + l];
        A[i * n + j] = s;
      }
    const grad = (U: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * U[j];
        out[i] = s;
      }
    };
    const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)));
    const exact = Math.min(...(math.eigs(rows).values as number[]).map(Number));
    const estimate = smallestHessianEigenvalue(grad, randomArray(n, "hess-U"), createStream("lanczos"), n);
    expect(estimate).toBeCloseTo(exact, 5);
  });
});
