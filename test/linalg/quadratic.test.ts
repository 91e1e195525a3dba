import { describe, expect, it } from "vitest";
import { packedMoments, packedOuter, packedSize } from "../../src/linalg/packed.js";
import {
  QUADRATIC_MOMENT_PANEL, projectedResiduals, quadForm, quadFormResidualGram, quadFormSse, quadraticMoments,
  quadraticMomentsScratchSize,
} from "../../src/linalg/quadratic.js";
import * as naive from "./naive.js";
import { TOL, random, randomSymmetric, relError, relScalar } from "./naive.js";

const DIMS = [1, 2, 3, 4, 5, 7, 9];
// n crosses the 4-sample groups and the d-sample panels (n = 2d + 3) of the Gram kernels
const samples = (d: number): number[] => [1, 2, 3, 5, 2 * d + 3];

/** Residuals r_i = x_iᵀWx_i − y_i from the definition. */
function residuals(X: Float64Array, n: number, d: number, W: Float64Array, y: Float64Array): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => naive.quadForm(X, i * d, d, W) - y[i]);
}

describe("quadForm", () => {
  for (const d of DIMS) {
    it(`equals Σ_ab x_a W_ab x_b for any W, d=${d}`, () => {
      const X = random(3 * d, `qf:X:${d}`), W = random(d * d, `qf:W:${d}`);
      const t = new Float64Array(d);
      expect(relScalar(quadForm(X, d, d, W, t), naive.quadForm(X, d, d, W))).toBeLessThan(TOL);
      // t holds W·x
      expect(relError(t, naive.matvec(W, d, X.subarray(d, 2 * d)))).toBeLessThan(TOL);
    });
  }
});

describe("quadFormSse", () => {
  for (const d of DIMS) for (const n of samples(d)) {
    it(`equals Σ (x_iᵀWx_i − y_i)² for symmetric W, d=${d}, n=${n}`, () => {
      const X = random(n * d, `qfs:X:${d}:${n}`), W = randomSymmetric(d, `qfs:W:${d}:${n}`), y = random(n, `qfs:y:${d}:${n}`);
      let sse = 0;
      for (const r of residuals(X, n, d, W, y)) sse += r * r;
      expect(relScalar(quadFormSse(X, n, d, W, y, new Float64Array(d)), sse)).toBeLessThan(TOL);
    });
  }
});

describe("quadFormResidualGram", () => {
  for (const d of DIMS) for (const n of samples(d)) {
    it(`gives Σ r² and G = Σ r_i x_i x_iᵀ for symmetric W, d=${d}, n=${n}`, () => {
      const X = random(n * d, `qfg:X:${d}:${n}`), W = randomSymmetric(d, `qfg:W:${d}:${n}`), y = random(n, `qfg:y:${d}:${n}`);
      const r = residuals(X, n, d, W, y);
      let sse = 0;
      const G = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        sse += r[i] * r[i];
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) G[a * d + b] += r[i] * X[i * d + a] * X[i * d + b];
      }
      const out = new Float64Array(d * d).fill(NaN);
      expect(relScalar(quadFormResidualGram(X, n, d, W, y, out, new Float64Array(d)), sse)).toBeLessThan(TOL);
      expect(relError(out, G)).toBeLessThan(TOL);
    });
  }

  it("reads only the upper triangle of W", () => {
    const d = 6, n = 15;
    const X = random(n * d, "qfg:upper:X"), W = randomSymmetric(d, "qfg:upper:W"), y = random(n, "qfg:upper:y");
    const G1 = new Float64Array(d * d), G2 = new Float64Array(d * d);
    const sse1 = quadFormResidualGram(X, n, d, W, y, G1, new Float64Array(d));
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) W[a * d + b] = NaN;
    expect(quadFormResidualGram(X, n, d, W, y, G2, new Float64Array(d))).toBe(sse1);
    expect(Array.from(G2)).toEqual(Array.from(G1));
  });
});

describe("projectedResiduals", () => {
  for (const d of [1, 2, 3, 7]) for (const k of [1, 2, 3, 5, 9]) for (const n of [1, 2, 3, 8]) {
    it(`gives r ∘ (X·U) and Σ r² with r_i = ‖Uᵀx_i‖² − y_i, d=${d}, k=${k}, n=${n}`, () => {
      const X = random(n * d, `pr:X:${d}:${k}:${n}`), U = random(d * k, `pr:U:${d}:${k}:${n}`), y = random(n, `pr:y:${d}:${k}:${n}`);
      const XU = naive.matmul(X, n, d, U, k);
      const R = new Float64Array(n * k);
      let sse = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += XU[i * k + j] ** 2;
        const r = s - y[i];
        sse += r * r;
        for (let j = 0; j < k; j++) R[i * k + j] = r * XU[i * k + j];
      }
      const P = new Float64Array(n * k).fill(NaN);
      expect(relScalar(projectedResiduals(X, n, d, U, k, y, P), sse)).toBeLessThan(TOL);
      expect(relError(P, R)).toBeLessThan(TOL);
    });
  }
});

describe("quadraticMoments", () => {
  // n crosses the sample panels of QUADRATIC_MOMENT_PANEL
  for (const d of [1, 2, 3, 4, 5, 8]) for (const n of [1, 3, QUADRATIC_MOMENT_PANEL + 5]) {
    it(`equals packedMoments over the rows pack(x_i x_iᵀ), d=${d}, n=${n}`, () => {
      const m = packedSize(d);
      const X = random(n * d, `qm:X:${d}:${n}`), y = random(n, `qm:y:${d}:${n}`);
      const A = new Float64Array(n * m);
      for (let i = 0; i < n; i++) A.set(packedOuter(X, i * d, d, new Float64Array(m)), i * m);
      const ref = naive.moments(A, n, m, y);
      const H = new Float64Array(m * m).fill(NaN), b = new Float64Array(m).fill(NaN);
      const c = quadraticMoments(X, n, d, y, H, b, new Float64Array(quadraticMomentsScratchSize(d)));
      expect(relError(H, ref.H)).toBeLessThan(TOL);
      expect(relError(b, ref.b)).toBeLessThan(TOL);
      expect(relScalar(c, ref.c)).toBeLessThan(TOL);
      const H2 = new Float64Array(m * m), b2 = new Float64Array(m);
      packedMoments(A, n, m, y, H2, b2);
      expect(relError(H, H2)).toBeLessThan(TOL);
    });
  }
});
