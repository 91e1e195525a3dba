import { describe, expect, it } from "vitest";
import { momentsOf, packedRowMoments, rankOneMoments } from "../../src/linalg/moments.js";
import { packedMoments, packedSize, symmetricMatvec } from "../../src/linalg/packed.js";
import { createWasmWorkspace, syrkStrips, wasmAvailable } from "../../src/linalg/wasm/kernels.js";
import * as naive from "./naive.js";
import { TOL, random, randomSymmetric, relError, relScalar } from "./naive.js";

// Odd sizes on purpose: the SYRK works on strips of 4 columns and panels of 64 rows,
// the fourth moments on pairs of samples, panels of 256 and tiles of 2×4.
const WIDTHS = [1, 2, 3, 5, 7, 9, 13, 22];
const ROWS = [1, 3, 64, 65, 131];

/** The packed rows pack(x xᵀ) (off-diagonals doubled) of n inputs, formed naively. */
function outerRows(X: Float64Array, n: number, d: number): Float64Array {
  const m = packedSize(d);
  const A = new Float64Array(n * m);
  for (let i = 0; i < n; i++) A.set(naive.packedOuter(X, i * d, d), i * m);
  return A;
}

describe("packedRowMoments (the SYRK)", () => {
  for (const n of ROWS) for (const m of WIDTHS) {
    it(`gives the naive H, b and c for n=${n}, m=${m}`, () => {
      const A = random(n * m, `mom:A:${n}:${m}`), y = random(n, `mom:y:${n}:${m}`);
      const ref = naive.moments(A, n, m, y);
      const mo = packedRowMoments(A, n, m, y);
      expect(mo.m).toBe(m);
      expect(relError(mo.H, ref.H)).toBeLessThan(TOL);
      expect(relError(mo.b, ref.b)).toBeLessThan(TOL);
      expect(relScalar(mo.c, ref.c)).toBeLessThan(TOL);
    });
  }

  it("is bit-identical to the TypeScript packedMoments (same panel sums in the same order)", () => {
    const n = 150, m = 23;
    const A = random(n * m, "mom:bits:A"), y = random(n, "mom:bits:y");
    const H = new Float64Array(m * m), b = new Float64Array(m);
    const c = packedMoments(A, n, m, y, H, b);
    const mo = packedRowMoments(A, n, m, y);
    expect(Array.from(mo.H)).toEqual(Array.from(H));
    expect(Array.from(mo.b)).toEqual(Array.from(b));
    expect(mo.c).toBe(c);
  });

  it("keeps H in WebAssembly memory when the kernels are in use, else in an ordinary array", () => {
    const mo = packedRowMoments(random(12, "mom:where"), 4, 3, random(4, "mom:where:y"));
    // a view past the module's own data in its linear memory, or a fresh array of its own
    if (wasmAvailable) expect(mo.H.byteOffset).toBeGreaterThan(0);
    else expect(mo.H.byteOffset).toBe(0);
  });
});

describe("rankOneMoments (fourth moments of the inputs)", () => {
  for (const d of [1, 2, 3, 4, 5, 7]) for (const n of [1, 3, 256, 259]) {
    it(`gives the naive moments of the rows pack(x xᵀ) for d=${d}, n=${n}`, () => {
      const X = random(n * d, `four:X:${d}:${n}`), y = random(n, `four:y:${d}:${n}`);
      const ref = naive.moments(outerRows(X, n, d), n, packedSize(d), y);
      const mo = rankOneMoments(X, n, d, y);
      expect(relError(mo.H, ref.H)).toBeLessThan(TOL);
      expect(relError(mo.b, ref.b)).toBeLessThan(TOL);
      expect(relScalar(mo.c, ref.c)).toBeLessThan(TOL);
    });
  }

  it("is reproducible bit for bit", () => {
    const d = 6, n = 300, X = random(n * d, "four:det:X"), y = random(n, "four:det:y");
    expect(Array.from(rankOneMoments(X, n, d, y).H)).toEqual(Array.from(rankOneMoments(X, n, d, y).H));
  });
});

describe("the moments' symmetric product H·x", () => {
  for (const m of [1, 2, 3, 4, 5, 6, 7, 9, 13, 22]) {
    it(`matches the naive H·x and the TypeScript symmetricMatvec for m=${m}`, () => {
      const H = randomSymmetric(m, `symv:H:${m}`), x = random(m, `symv:x:${m}`);
      const mo = momentsOf(m, H, new Float64Array(m), 0);
      const out = new Float64Array(m).fill(NaN);
      mo.symv(x, out);
      expect(relError(out, naive.matvec(H, m, x))).toBeLessThan(TOL);
      expect(relError(out, symmetricMatvec(H, m, x, new Float64Array(m)))).toBeLessThan(TOL);
    });
  }

  it("reads only the upper triangle", () => {
    const m = 11, H = randomSymmetric(m, "symv:upper"), x = random(m, "symv:upper:x");
    const ref = naive.matvec(H, m, x);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) H[i * m + j] = 1e300;
    const out = momentsOf(m, H, new Float64Array(m), 0).symv(x, new Float64Array(m));
    expect(relError(out, ref)).toBeLessThan(TOL);
  });
});

describe.skipIf(!wasmAvailable)("wasm syrkPanel (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
  it("splits over ranges of strips (rows of H) with the same result as one call", () => {
    const n = 37, m = 29, strips = syrkStrips(m), ldh = 4 * strips;
    const A = random(n * m, "syrk:split");
    const ws = createWasmWorkspace({ A: n * m, P: ldh * n, H1: ldh * ldh, H2: ldh * ldh })!;
    ws.arrays.A.view.set(A);
    ws.syrkPackRows(ws.arrays.A, 0, n, m, ws.arrays.P);
    ws.syrkPanel(ws.arrays.P, n, strips, ws.arrays.H1);
    ws.syrkPanel(ws.arrays.P, n, strips, ws.arrays.H2, 0, 3);
    ws.syrkPanel(ws.arrays.P, n, strips, ws.arrays.H2, 3, strips);
    const H1 = ws.syrkFinish(ws.arrays.H1, m, 1).slice(0, m * m), H2 = ws.syrkFinish(ws.arrays.H2, m, 1).slice(0, m * m);
    expect(Array.from(H2)).toEqual(Array.from(H1));
    expect(relError(H1, naive.moments(A, n, m, new Float64Array(n)).H.map((v) => v * n))).toBeLessThan(TOL);
  });

  it("packs rank-one rows as packedOuter does, zero-padded to whole strips", () => {
    const d = 4, n = 3, m = packedSize(d), strips = syrkStrips(m);
    const X = random(n * d, "syrk:outer");
    const ws = createWasmWorkspace({ X: n * d, P: 4 * strips * n })!;
    ws.arrays.X.view.set(X);
    ws.arrays.P.view.fill(NaN);
    ws.syrkPackOuterRows(ws.arrays.X, 0, n, d, ws.arrays.P);
    const rows = outerRows(X, n, d), P = ws.arrays.P.view;
    for (let r = 0; r < n; r++) for (let p = 0; p < 4 * strips; p++) {
      expect(P[(p >> 2) * n * 4 + r * 4 + (p & 3)]).toBe(p < m ? rows[r * m + p] : 0);
    }
  });
});
