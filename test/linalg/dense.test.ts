import { describe, expect, it } from "vitest";
import {
  axpy, columnSquaredNorms, copyPrefix, dot, gram, matmul, matmulTransA, mirrorUpper, selectColumns, sumSquaredDiff, sumSquares,
} from "../../src/linalg/dense.js";
import * as naive from "./naive.js";
import { TOL, random, relError, relScalar, transpose } from "./naive.js";

// Odd sizes on purpose: every kernel has 2×4 tiles, 4-way unrolling and panels, so
// sizes that are not multiples of 2, 4 or 8 exercise each remainder path.
const DIMS = [1, 2, 3, 4, 5, 7, 8, 9, 13];

describe("gram", () => {
  for (const d of DIMS) for (const k of [1, 2, 3, 7, 12]) {
    it(`equals U·Uᵀ for d=${d}, k=${k}`, () => {
      const U = random(d * k, `gram:${d}:${k}`);
      const out = new Float64Array(d * d).fill(NaN);
      expect(gram(U, d, k, out)).toBe(out);
      expect(relError(out, naive.gram(U, d, k))).toBeLessThan(TOL);
    });
  }

  it("is exactly symmetric", () => {
    const d = 11, k = 5;
    const out = gram(random(d * k, "gram:sym"), d, k, new Float64Array(d * d));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(out[i * d + j]).toBe(out[j * d + i]);
  });
});

describe("mirrorUpper", () => {
  for (const n of [1, 2, 3, 31, 33, 70]) {
    it(`copies the upper triangle onto the lower for n=${n}`, () => {
      const S = random(n * n, `mirror:${n}`);
      const expected = Float64Array.from(S);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expected[i * n + j] = S[j * n + i];
      expect(Array.from(mirrorUpper(S, n))).toEqual(Array.from(expected));
    });
  }
});

describe("matmul", () => {
  for (const [p, q, s] of [[1, 1, 1], [1, 3, 2], [2, 2, 2], [3, 5, 7], [7, 3, 9], [5, 8, 4], [9, 13, 11], [13, 7, 1]]) {
    it(`equals A·B for ${p}×${q} times ${q}×${s}`, () => {
      const A = random(p * q, `mm:A:${p}:${q}:${s}`), B = random(q * s, `mm:B:${p}:${q}:${s}`);
      const out = new Float64Array(p * s).fill(NaN);
      expect(matmul(A, p, q, B, s, out)).toBe(out);
      expect(relError(out, naive.matmul(A, p, q, B, s))).toBeLessThan(TOL);
    });
  }

  it("ignores stale contents of out and entries past p·s", () => {
    const A = random(6, "mm:stale:A"), B = random(6, "mm:stale:B");
    const out = new Float64Array(5).fill(7);
    matmul(A, 2, 3, B, 2, out);
    expect(relError(out.subarray(0, 4), naive.matmul(A, 2, 3, B, 2))).toBeLessThan(TOL);
    expect(out[4]).toBe(7);
  });
});

describe("matmulTransA", () => {
  // p = 129 and 300 cross the 128-row panels
  for (const [p, q, s] of [[1, 1, 1], [3, 2, 5], [7, 3, 9], [5, 8, 4], [129, 7, 5], [300, 9, 13], [2, 1, 3]]) {
    it(`equals Aᵀ·B for A ${p}×${q}, B ${p}×${s}`, () => {
      const A = random(p * q, `mta:A:${p}:${q}:${s}`), B = random(p * s, `mta:B:${p}:${q}:${s}`);
      const out = new Float64Array(q * s).fill(NaN);
      expect(matmulTransA(A, p, q, B, s, out)).toBe(out);
      expect(relError(out, naive.matmul(transpose(A, p, q), q, p, B, s))).toBeLessThan(TOL);
    });
  }
});

describe("vector kernels", () => {
  for (const len of [0, 1, 2, 3, 5, 8, 13]) {
    const a = random(len, `vec:a:${len}`), b = random(len, `vec:b:${len}`);
    let ss = 0, sd = 0, ab = 0;
    for (let i = 0; i < len; i++) {
      ss += a[i] * a[i];
      sd += (a[i] - b[i]) ** 2;
      ab += a[i] * b[i];
    }
    it(`sumSquares, sumSquaredDiff and dot agree with their sums for len=${len}`, () => {
      expect(relScalar(sumSquares(a), ss)).toBeLessThan(TOL);
      expect(relScalar(sumSquaredDiff(a, b), sd)).toBeLessThan(TOL);
      expect(relScalar(dot(a, b), ab)).toBeLessThan(TOL);
    });
    it(`axpy adds alpha·x for len=${len}`, () => {
      const y = Float64Array.from(b);
      axpy(-0.5, a, y);
      expect(relError(y, b.map((v, i) => v - 0.5 * a[i]))).toBeLessThan(TOL);
    });
  }

  it("respects len below the array length", () => {
    const a = random(9, "vec:len");
    expect(sumSquares(a, 3)).toBeCloseTo(a[0] ** 2 + a[1] ** 2 + a[2] ** 2, 14);
    expect(dot(a, a, 0)).toBe(0);
  });
});

describe("columnSquaredNorms and selectColumns", () => {
  it("computes each column's squared norm", () => {
    const d = 7, k = 5;
    const U = random(d * k, "cols");
    const G = naive.gram(transpose(U, d, k), k, d);
    const expected = Array.from({ length: k }, (_, j) => G[j * k + j]);
    expect(relError(columnSquaredNorms(U, d, k, new Float64Array(k)), expected)).toBeLessThan(TOL);
  });

  it("copies the listed columns in order", () => {
    const d = 3, k = 4;
    const U = Float64Array.from({ length: d * k }, (_, i) => i);
    expect(Array.from(selectColumns(U, d, k, [3, 1], new Float64Array(d * 2)))).toEqual([3, 1, 7, 5, 11, 9]);
  });
});

describe("copyPrefix", () => {
  it("copies exactly the first len entries", () => {
    const dst = new Float64Array(5).fill(-1);
    copyPrefix(Float64Array.of(1, 2, 3, 4, 5), dst, 3);
    expect([...dst]).toEqual([1, 2, 3, -1, -1]);
  });
});
