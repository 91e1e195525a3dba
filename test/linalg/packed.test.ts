import { describe, expect, it } from "vitest";
import {
  accumulateMoment, accumulateMomentPanel, finishMoments, matvec, packSymmetric, packedMoments, packedOuter,
  packedResidualAccumulate, packedResidualSse, packedRowDots, packedSize, symmetricMatvec, unpackDoubled,
} from "../../src/linalg/packed.js";
import * as naive from "./naive.js";
import { TOL, pk, random, randomSymmetric, relError, relScalar, transpose, unpackPlain } from "./naive.js";

const DIMS = [1, 2, 3, 4, 7, 9];

describe("packSymmetric and packedSize", () => {
  for (const d of DIMS) {
    it(`packs the upper triangle row by row for d=${d}`, () => {
      const X = randomSymmetric(d, `pack:${d}`);
      const x = packSymmetric(X, d, new Float64Array(packedSize(d)));
      expect(x.length).toBe((d * (d + 1)) / 2);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) expect(x[pk(i, j, d)]).toBe(X[i * d + j]);
    });
  }
});

describe("unpackDoubled", () => {
  for (const d of DIMS) {
    it(`halves the off-diagonals and mirrors for d=${d}`, () => {
      const g = random(packedSize(d), `unpack:${d}`);
      const G = unpackDoubled(g, d, new Float64Array(d * d).fill(NaN));
      const expected = unpackPlain(g, d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) expected[i * d + j] /= 2;
      expect(Array.from(G)).toEqual(Array.from(expected));
    });
  }
});

describe("packedOuter", () => {
  for (const d of DIMS) {
    it(`is pack(x·xᵀ) with doubled off-diagonals, so aᵀ·pack(X) = xᵀXx, for d=${d}`, () => {
      const x = random(d + 2, `outer:${d}`);
      const a = packedOuter(x, 2, d, new Float64Array(packedSize(d)));
      expect(relError(a, naive.packedOuter(x, 2, d))).toBeLessThan(TOL);
      const X = randomSymmetric(d, `outer:X:${d}`);
      const xs = packSymmetric(X, d, new Float64Array(packedSize(d)));
      let ax = 0;
      for (let p = 0; p < a.length; p++) ax += a[p] * xs[p];
      expect(relScalar(ax, naive.quadForm(x, 2, d, X))).toBeLessThan(1e-11);
    });
  }
});

// n crosses the 4-row blocks (remainders 0..3) and, for the moments, the 64-row panels.
const ROWS = [1, 2, 3, 4, 5, 7, 66, 131];
const WIDTHS = [1, 3, 6, 10, 28, 45];

describe("packedRowDots", () => {
  for (const n of ROWS) for (const m of [1, 3, 10, 28]) {
    it(`equals A·x for n=${n}, m=${m}`, () => {
      const A = random(n * m, `rd:A:${n}:${m}`), x = random(m, `rd:x:${n}:${m}`);
      const out = packedRowDots(A, n, m, x, new Float64Array(n).fill(NaN));
      expect(relError(out, naive.rowDots(A, n, m, x))).toBeLessThan(TOL);
    });
  }
});

describe("packedResidualAccumulate and packedResidualSse", () => {
  for (const n of ROWS) for (const m of [1, 3, 10, 28]) {
    it(`give Σ r², and g = Σ r_i a_i, with r = A·x − y for n=${n}, m=${m}`, () => {
      const A = random(n * m, `pra:A:${n}:${m}`), x = random(m, `pra:x:${n}:${m}`), y = random(n, `pra:y:${n}:${m}`);
      const r = naive.rowDots(A, n, m, x).map((v, i) => v - y[i]);
      let sse = 0;
      for (const v of r) sse += v * v;
      const g = new Float64Array(m).fill(NaN);
      expect(relScalar(packedResidualAccumulate(A, n, m, x, y, g), sse)).toBeLessThan(TOL);
      expect(relError(g, naive.matmul(transpose(A, n, m), m, n, r, 1))).toBeLessThan(TOL);
      expect(relScalar(packedResidualSse(A, n, m, x, y), sse)).toBeLessThan(TOL);
    });
  }
});

describe("packedMoments", () => {
  for (const n of ROWS) for (const m of WIDTHS) {
    it(`gives H = AᵀA/n (full), b = Aᵀy/n and c = yᵀy/n for n=${n}, m=${m}`, () => {
      const A = random(n * m, `mom:A:${n}:${m}`), y = random(n, `mom:y:${n}:${m}`);
      const H = new Float64Array(m * m).fill(NaN), b = new Float64Array(m).fill(NaN);
      const c = packedMoments(A, n, m, y, H, b);
      const ref = naive.moments(A, n, m, y);
      expect(relError(H, ref.H)).toBeLessThan(TOL);
      expect(relError(b, ref.b)).toBeLessThan(TOL);
      expect(relScalar(c, ref.c)).toBeLessThan(TOL);
    });
  }

  it("gives Hx − b = (1/n) Σ r_i a_i, the residual identity the moments route relies on", () => {
    const n = 40, m = 10;
    const A = random(n * m, "mom:id:A"), y = random(n, "mom:id:y"), x = random(m, "mom:id:x");
    const H = new Float64Array(m * m), b = new Float64Array(m);
    packedMoments(A, n, m, y, H, b);
    const g = new Float64Array(m);
    packedResidualAccumulate(A, n, m, x, y, g);
    const Hx = matvec(H, m, x, new Float64Array(m));
    expect(relError(Hx.map((v, p) => v - b[p]), g.map((v) => v / n))).toBeLessThan(1e-11);
  });
});

describe("accumulateMoment, accumulateMomentPanel and finishMoments", () => {
  for (const n of [1, 3, 5, 9]) for (const m of WIDTHS) {
    it(`row by row and panel by panel give packedMoments' H and b for n=${n}, m=${m}`, () => {
      const A = random(n * m, `acc:A:${n}:${m}`), y = random(n, `acc:y:${n}:${m}`);
      const ref = naive.moments(A, n, m, y);

      const H = new Float64Array(m * m), b = new Float64Array(m);
      for (let i = 0; i < n; i++) accumulateMoment(A, i * m, m, y[i], H, b);
      finishMoments(H, b, m, n);
      expect(relError(H, ref.H)).toBeLessThan(TOL);
      expect(relError(b, ref.b)).toBeLessThan(TOL);

      // panels of uneven sizes (2, then the rest), b filled by accumulateMoment-free code
      const H2 = new Float64Array(m * m), b2 = Float64Array.from(ref.b, (v) => v * n);
      const first = Math.min(2, n);
      accumulateMomentPanel(A, 0, first, m, H2);
      if (n > first) accumulateMomentPanel(A, first * m, n - first, m, H2);
      finishMoments(H2, b2, m, n);
      expect(relError(H2, ref.H)).toBeLessThan(TOL);
    });
  }

  it("skips zero entries of a row without changing the result", () => {
    const m = 5;
    const a = Float64Array.from([0, 1.5, 0, -2, 0.25]);
    const H = new Float64Array(m * m), b = new Float64Array(m);
    accumulateMoment(a, 0, m, 3, H, b);
    finishMoments(H, b, m, 1);
    expect(relError(H, naive.moments(a, 1, m, Float64Array.of(3)).H)).toBeLessThan(TOL);
    expect(Array.from(b)).toEqual(Array.from(a, (v) => 3 * v));
  });
});

describe("matvec and symmetricMatvec", () => {
  for (const m of [1, 2, 3, 7, 8, 9, 15, 17, 33]) {
    it(`equal H·x for m=${m}`, () => {
      const H = randomSymmetric(m, `mv:H:${m}`), x = random(m, `mv:x:${m}`);
      const ref = naive.matvec(H, m, x);
      expect(relError(matvec(H, m, x, new Float64Array(m).fill(NaN)), ref)).toBeLessThan(TOL);
      expect(relError(symmetricMatvec(H, m, x, new Float64Array(m).fill(NaN)), ref)).toBeLessThan(TOL);
    });
  }

  it("matvec takes any square H", () => {
    const m = 11;
    const H = random(m * m, "mv:general"), x = random(m, "mv:general:x");
    expect(relError(matvec(H, m, x, new Float64Array(m)), naive.matvec(H, m, x))).toBeLessThan(TOL);
  });

  it("symmetricMatvec reads only the upper triangle", () => {
    const m = 19;
    const H = randomSymmetric(m, "mv:upper"), x = random(m, "mv:upper:x");
    const ref = naive.matvec(H, m, x);
    for (let p = 0; p < m; p++) for (let q = 0; q < p; q++) H[p * m + q] = NaN;
    expect(relError(symmetricMatvec(H, m, x, new Float64Array(m)), ref)).toBeLessThan(TOL);
  });
});
