/**
 * Direct losses over a fixed data set (src/linalg/rows.ts), in WebAssembly when built
 * (else the TypeScript kernels), against their definitions at odd sizes (the kernel
 * takes rows four at a time and entries in pairs), and unchanged by repeated calls.
 */
import { describe, expect, it } from "vitest";
import { inputsQuadSse, rowsResidualSse } from "../../src/linalg/rows.js";
import { packedResidualSse, packedResidualSseMany } from "../../src/linalg/packed.js";
import * as naive from "./naive.js";
import { TOL, random, randomSymmetric, relScalar } from "./naive.js";

describe("rowsResidualSse", () => {
  for (const [n, m] of [[0, 3], [1, 1], [3, 2], [4, 5], [5, 7], [9, 10], [13, 21]]) {
    it(`is Σ (a_iᵀx − y_i)² for n=${n}, m=${m}, call after call`, () => {
      const A = random(n * m, `rows:A:${n}:${m}`), y = random(n, `rows:y:${n}:${m}`);
      const sse = rowsResidualSse(A, n, m, y);
      for (const key of ["x1", "x2"]) {
        const x = random(m, `rows:${key}:${n}:${m}`);
        let want = 0;
        naive.rowDots(A, n, m, x).forEach((dot, i) => (want += (dot - y[i]) ** 2));
        const got = sse.at(x);
        if (n === 0) expect(got).toBe(0);
        else expect(relScalar(got, want)).toBeLessThan(TOL);
      }
    });
  }
});

describe("rowsResidualSse atMany", () => {
  for (const [n, m, B] of [[0, 3, 2], [1, 1, 1], [5, 7, 3], [13, 21, 8], [9, 10, 11], [7, 210, 17]]) {
    it(`gives each of ${B} vectors the bits of at() for n=${n}, m=${m} (also past a kernel call's ${8} vectors)`, () => {
      const A = random(n * m, `rows-many:A:${n}:${m}`), y = random(n, `rows-many:y:${n}:${m}`);
      const X = random(B * m, `rows-many:X:${n}:${m}:${B}`);
      const alone = rowsResidualSse(A, n, m, y);
      const want = Array.from({ length: B }, (_, b) => alone.at(X.subarray(b * m, (b + 1) * m)));
      const got = rowsResidualSse(A, n, m, y).atMany(X, B, new Float64Array(B).fill(NaN));
      expect(Array.from(got).every((v, b) => Object.is(v, want[b]))).toBe(true);
      if (n > 0) expect(new Set(want).size).toBe(B);
    });
  }
});

describe("packedResidualSseMany (TypeScript)", () => {
  it("gives each vector the bits of packedResidualSse", () => {
    for (const [n, m, B] of [[0, 2, 1], [5, 3, 4], [13, 9, 3]]) {
      const A = random(n * m, `packed-many:A:${n}`), y = random(n, `packed-many:y:${n}`), X = random(B * m, `packed-many:X:${n}`);
      const got = packedResidualSseMany(A, n, m, X, B, y, new Float64Array(B));
      for (let b = 0; b < B; b++) expect(Object.is(got[b], packedResidualSse(A, n, m, X.subarray(b * m, (b + 1) * m), y))).toBe(true);
    }
  });
});

describe("inputsQuadSse", () => {
  for (const [n, d] of [[1, 1], [3, 2], [5, 3], [9, 5], [17, 8]]) {
    it(`is Σ (x_iᵀWx_i − y_i)² for n=${n}, d=${d}, call after call`, () => {
      const X = random(n * d, `quad-sse:X:${n}:${d}`), y = random(n, `quad-sse:y:${n}:${d}`);
      const sse = inputsQuadSse(X, n, d, y);
      for (const key of ["W1", "W2"]) {
        const W = randomSymmetric(d, `quad-sse:${key}:${n}:${d}`);
        let want = 0;
        for (let i = 0; i < n; i++) want += (naive.quadForm(X, i * d, d, W) - y[i]) ** 2;
        expect(relScalar(sse(W), want)).toBeLessThan(TOL);
      }
    });
  }
});
