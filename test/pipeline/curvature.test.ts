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

describe("Lanczos on a flat Krylov space", () => {
  it("stops early when the Hessian is a multiple of the identity, and returns that multiple", () => {
    // f = 1.5‖u‖²: every start vector is an eigenvector, the Krylov space has dimension 1
    let calls = 0;
    const grad = (U: Float64Array, out: Float64Array) => {
      calls++;
      for (let i = 0; i < U.length; i++) out[i] = 3 * U[i];
    };
    expect(smallestHessianEigenvalue(grad, randomArray(8, "flat-U"), createStream("flat"), 30)).toBeCloseTo(3, 8);
    expect(calls).toBe(2); // one Hessian-vector product: two gradients
  });

  it("takes at most as many Hessian-vector products as U has entries", () => {
    let calls = 0;
    const grad = (U: Float64Array, out: Float64Array) => {
      calls++;
      for (let i = 0; i < U.length; i++) out[i] = (i + 1) * U[i];
    };
    expect(smallestHessianEigenvalue(grad, randomArray(5, "diag-U"), createStream("diag"), 30)).toBeCloseTo(1, 8);
    expect(calls).toBe(2 * 5);
  });

  it("measures curvature at U's scale: a cubic's Hessian at a large U", () => {
    // f = Σ u⁴/4: Hessian diag(3u²); at U = (1e4, 2e4) the smallest eigenvalue is 3e8
    const grad = (U: Float64Array, out: Float64Array) => {
      for (let i = 0; i < U.length; i++) out[i] = U[i] ** 3;
    };
    expect(smallestHessianEigenvalue(grad, Float64Array.of(1e4, 2e4), createStream("cubic"), 2) / 3e8).toBeCloseTo(1, 6);
  });
});

describe("the tridiagonal eigenvalue", () => {
  it("is exact for a 1×1 and a diagonal matrix, and handles zero pivots", () => {
    expect(smallestTridiagonalEigenvalue([2.5], [])).toBeCloseTo(2.5, 12);
    expect(smallestTridiagonalEigenvalue([3, -1, 2], [0, 0])).toBeCloseTo(-1, 12);
    // [[0, 1], [1, 0]]: eigenvalues ±1, a zero pivot at the start
    expect(smallestTridiagonalEigenvalue([0, 0], [1])).toBeCloseTo(-1, 12);
    expect(smallestTridiagonalEigenvalue([1e6, 1e6 + 1], [0])).toBeCloseTo(1e6, 6);
  });
});
