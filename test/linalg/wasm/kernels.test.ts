import { describe, expect, it } from "vitest";
import { axpy, dot, gram, matmul, mirrorUpper, sumSquaredDiff } from "../../../src/linalg/dense.js";
import { quadFormResidualGram, quadFormSse } from "../../../src/linalg/quadratic.js";
import { createWasmWorkspace, quadScratchSize, wasmAvailable, type WasmWorkspace } from "../../../src/linalg/wasm/kernels.js";
import * as naive from "../naive.js";
import { TOL, random, randomSymmetric, relError, relScalar } from "../naive.js";

// Odd sizes on purpose: the SIMD kernels work on pairs of f64 and tiles of 2×8,
// so sizes that are not multiples of 2 or 8 exercise each remainder path.
const DIMS = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17];

/** A workspace holding the given arrays (copied in). */
function workspace<K extends string>(data: Record<K, Float64Array | number>): WasmWorkspace<K> {
  const lengths = {} as Record<K, number>;
  for (const key of Object.keys(data) as K[]) {
    const v = data[key];
    lengths[key] = typeof v === "number" ? v : v.length;
  }
  const ws = createWasmWorkspace(lengths);
  if (!ws) throw new Error("no WebAssembly kernels: run `npm run build`");
  for (const key of Object.keys(data) as K[]) {
    const v = data[key];
    if (typeof v !== "number") ws.arrays[key].view.set(v);
  }
  return ws;
}

describe("the WebAssembly kernels", () => {
  it("are built and load in this thread", () => {
    expect(wasmAvailable).toBe(true);
  });

  it("give each workspace its own memory", () => {
    const a = workspace({ U: Float64Array.of(1, 2, 3, 4), out: 4 });
    const b = workspace({ U: Float64Array.of(5, 6, 7, 8), out: 4 });
    a.gram(a.arrays.U, 2, 2, a.arrays.out);
    b.gram(b.arrays.U, 2, 2, b.arrays.out);
    expect(Array.from(a.arrays.out.view)).toEqual([5, 11, 11, 25]);
    expect(Array.from(b.arrays.out.view)).toEqual([61, 83, 83, 113]);
    expect(Array.from(a.arrays.U.view)).toEqual([1, 2, 3, 4]);
  });

  it("are bit-for-bit reproducible across calls and workspaces", () => {
    const d = 13, n = 2 * d + 5;
    const X = random(n * d, "wasm:det:X"), W = randomSymmetric(d, "wasm:det:W"), y = random(n, "wasm:det:y");
    const run = (): number[] => {
      const ws = workspace({ X, W, y, G: d * d, t: quadScratchSize(d) });
      const A = ws.arrays;
      const sse = ws.quadFormResidualGram(A.X, n, d, A.W, A.y, A.G, A.t);
      return [sse, ...A.G.view];
    };
    const first = run();
    expect(run()).toEqual(first);
  });
});

describe("wasm sumSquaredDiff and scaledDiff", () => {
  for (const len of [0, 1, 2, 3, 5, 8, 13]) {
    const a = random(len, `wasm:vec:a:${len}`), b = random(len, `wasm:vec:b:${len}`);
    it(`sumSquaredDiff is bit-identical to its TypeScript twin for len=${len}`, () => {
      const ws = workspace({ a, b });
      expect(ws.sumSquaredDiff(ws.arrays.a, ws.arrays.b, len)).toBe(sumSquaredDiff(a, b, len));
    });
    it(`scaledDiff gives alpha·(a − b), also in place, for len=${len}`, () => {
      const ws = workspace({ a, b, out: new Float64Array(len).fill(NaN) });
      const expected = Array.from(a, (v, i) => 4 * (v - b[i]));
      expect(Array.from(ws.scaledDiff(4, ws.arrays.a, ws.arrays.b, len, ws.arrays.out))).toEqual(expected);
      expect(Array.from(ws.scaledDiff(4, ws.arrays.a, ws.arrays.b, len, ws.arrays.a))).toEqual(expected);
    });
  }
});

describe("wasm reorthogonalize (Lanczos)", () => {
  for (const [count, len] of [[1, 1], [1, 5], [3, 7], [4, 13], [30, 801]]) {
    it(`is bit-identical to the TypeScript loop axpy(−dot(p, w), p, w), twice over the ${count} rows p of Q, for len=${len}`, () => {
      const Q = random(count * len, `wasm:reorth:Q:${count}:${len}`), w = random(len, `wasm:reorth:w:${count}:${len}`);
      const ws = workspace({ Q, w });
      const expected = Float64Array.from(w);
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < count; p++) {
          const row = Q.subarray(p * len, (p + 1) * len);
          axpy(-dot(row, expected), row, expected);
        }
      }
      const got = ws.reorthogonalize(ws.arrays.Q, count, ws.arrays.w, len);
      expect(Array.from(got).every((v, i) => Object.is(v, expected[i]))).toBe(true);
      // and it did something: w moved
      expect(relError(got, w)).toBeGreaterThan(1e-3);
    });
  }
});

describe("wasm gram", () => {
  for (const d of DIMS) for (const k of [1, 2, 3, 7, 12]) {
    it(`equals U·Uᵀ and its TypeScript twin for d=${d}, k=${k}`, () => {
      const U = random(d * k, `wasm:gram:${d}:${k}`);
      const ws = workspace({ U, out: new Float64Array(d * d).fill(NaN) });
      const out = ws.gram(ws.arrays.U, d, k, ws.arrays.out);
      expect(out).toBe(ws.arrays.out.view);
      expect(relError(out, naive.gram(U, d, k))).toBeLessThan(TOL);
      expect(relError(out, gram(U, d, k, new Float64Array(d * d)))).toBeLessThan(TOL);
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(out[i * d + j]).toBe(out[j * d + i]);
    });
  }
});

describe("wasm mirrorUpper", () => {
  for (const n of [1, 2, 3, 31, 33, 70]) {
    it(`equals its TypeScript twin for n=${n}`, () => {
      const S = random(n * n, `wasm:mirror:${n}`);
      const ws = workspace({ S });
      expect(Array.from(ws.mirrorUpper(ws.arrays.S, n))).toEqual(Array.from(mirrorUpper(Float64Array.from(S), n)));
    });
  }
});

describe("wasm matmul", () => {
  const shapes = [[1, 1, 1], [1, 3, 2], [2, 2, 2], [3, 5, 7], [7, 3, 9], [5, 8, 4], [9, 13, 11], [13, 7, 1], [4, 6, 17], [3, 2, 16]];
  for (const [p, q, s] of shapes) {
    it(`equals A·B and its TypeScript twin for ${p}×${q} times ${q}×${s}`, () => {
      const A = random(p * q, `wasm:mm:A:${p}:${q}:${s}`), B = random(q * s, `wasm:mm:B:${p}:${q}:${s}`);
      const ws = workspace({ A, B, out: new Float64Array(p * s).fill(NaN) });
      const out = ws.matmul(ws.arrays.A, p, q, ws.arrays.B, s, ws.arrays.out);
      expect(relError(out, naive.matmul(A, p, q, B, s))).toBeLessThan(TOL);
      expect(relError(out, matmul(A, p, q, B, s, new Float64Array(p * s)))).toBeLessThan(TOL);
    });
  }

  it("leaves entries past p·s alone", () => {
    const ws = workspace({ A: random(6, "wasm:mm:stale:A"), B: random(6, "wasm:mm:stale:B"), out: new Float64Array(5).fill(7) });
    ws.matmul(ws.arrays.A, 2, 3, ws.arrays.B, 2, ws.arrays.out);
    expect(ws.arrays.out.view[4]).toBe(7);
  });
});

describe("wasm quadFormResidualGram and quadFormSse", () => {
  // n crosses the sample pairs and the d-sample panels (n = 2d + 3)
  for (const d of [1, 2, 3, 4, 5, 7, 9, 16, 17]) for (const n of [1, 2, 3, 5, 2 * d + 3]) {
    it(`equal the definition and their TypeScript twins for d=${d}, n=${n}`, () => {
      const key = `wasm:qfg:${d}:${n}`;
      const X = random(n * d, `${key}:X`), W = randomSymmetric(d, `${key}:W`), y = random(n, `${key}:y`);
      let sse = 0;
      const G = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        const r = naive.quadForm(X, i * d, d, W) - y[i];
        sse += r * r;
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) G[a * d + b] += r * X[i * d + a] * X[i * d + b];
      }
      const Gts = new Float64Array(d * d);
      const sseTs = quadFormResidualGram(X, n, d, W, y, Gts, new Float64Array(d));

      const ws = workspace({ X, W, y, G: new Float64Array(d * d).fill(NaN), t: new Float64Array(quadScratchSize(d)).fill(NaN) });
      const A = ws.arrays;
      const got = ws.quadFormResidualGram(A.X, n, d, A.W, A.y, A.G, A.t);
      expect(relScalar(got, sse)).toBeLessThan(TOL);
      expect(relScalar(got, sseTs)).toBeLessThan(TOL);
      expect(relError(A.G.view, G)).toBeLessThan(TOL);
      expect(relError(A.G.view, Gts)).toBeLessThan(TOL);

      const sseOnly = ws.quadFormSse(A.X, n, d, A.W, A.y, A.t);
      expect(relScalar(sseOnly, sse)).toBeLessThan(TOL);
      expect(relScalar(sseOnly, quadFormSse(X, n, d, W, y, new Float64Array(d)))).toBeLessThan(TOL);
    });
  }

  it("read only the upper triangle of W", () => {
    const d = 7, n = 19;
    const W = randomSymmetric(d, "wasm:qfg:upper:W");
    const ws = workspace({ X: random(n * d, "wasm:qfg:upper:X"), W, y: random(n, "wasm:qfg:upper:y"), G: d * d, t: quadScratchSize(d) });
    const A = ws.arrays;
    const sse1 = ws.quadFormResidualGram(A.X, n, d, A.W, A.y, A.G, A.t);
    const G1 = Array.from(A.G.view);
    const sseOnly1 = ws.quadFormSse(A.X, n, d, A.W, A.y, A.t);
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) A.W.view[a * d + b] = NaN;
    expect(ws.quadFormResidualGram(A.X, n, d, A.W, A.y, A.G, A.t)).toBe(sse1);
    expect(Array.from(A.G.view)).toEqual(G1);
    expect(ws.quadFormSse(A.X, n, d, A.W, A.y, A.t)).toBe(sseOnly1);
  });
});
