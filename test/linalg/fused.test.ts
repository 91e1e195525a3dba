/**
 * The batched H product and the fused engine (src/linalg/fused.ts,
 * wasm/assembly/fused.ts): H·x_b against the definition written as one chain
 * per entry (bit for bit), each vector's result independent of the others in
 * the call, at odd sizes; without the WebAssembly kernels there is no engine.
 */
import { describe, expect, it } from "vitest";
import { momentsOf } from "../../src/linalg/moments.js";
import { fusedEngine, panelsSize, writePanels } from "../../src/linalg/fused.js";
import { packedSize } from "../../src/linalg/packed.js";
import { createWasmWorkspace, wasmAvailable } from "../../src/linalg/wasm/kernels.js";
import { random, randomSymmetric, relError } from "./naive.js";

/** out_b[p] = Σ_q H[q][p]·x_b[q], summed from 0 in ascending q: the order the kernel promises. */
function chained(H: Float64Array, m: number, X: Float64Array, B: number): Float64Array {
  const out = new Float64Array(B * m);
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let q = 0; q < m; q++) s += H[q * m + p] * X[b * m + q];
      out[b * m + p] = s;
    }
  }
  return out;
}

/** H·x by rows, the plain definition (agrees with `chained` to rounding). */
function byRows(H: Float64Array, m: number, x: Float64Array): Float64Array {
  const out = new Float64Array(m);
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) out[p] += H[p * m + q] * x[q];
  return out;
}

describe.runIf(wasmAvailable)("wasm panelMatmul and symmetricMatvec (upper triangle) (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
  // tiles of 8 and 16 rows, pairs of vectors, blocks of 4 rows: odd m and B reach every remainder
  for (const m of [1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 17, 33]) {
    for (const B of [1, 2, 3, 5]) {
      it(`give every entry its one chain over q, whatever the other vectors, for m=${m}, B=${B}`, () => {
        const H = randomSymmetric(m, `fused:H:${m}`);
        const X = random(B * m, `fused:X:${m}:${B}`);
        const ws = createWasmWorkspace({ H: m * m, Hp: panelsSize(m), X: B * m, out: B * m, one: m, x: m })!;
        ws.arrays.H.view.set(H);
        writePanels(H, m, ws.arrays.Hp.view);
        ws.arrays.X.view.set(X);
        const out = ws.panelMatmul(ws.arrays.Hp, m, ws.arrays.X, B, ws.arrays.out);
        expect(Array.from(out)).toEqual(Array.from(chained(H, m, X, B)));
        for (let b = 0; b < B; b++) {
          ws.arrays.x.view.set(X.subarray(b * m, (b + 1) * m));
          const alone = ws.symmetricMatvec(ws.arrays.H, m, ws.arrays.x, ws.arrays.one);
          expect(Array.from(out.subarray(b * m, (b + 1) * m))).toEqual(Array.from(alone));
          expect(relError(alone, byRows(H, m, X.subarray(b * m, (b + 1) * m)))).toBeLessThan(1e-14);
        }
      });
    }
  }
});

describe.runIf(wasmAvailable)("the one-run and panel products (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
  it("read only the upper triangle of H, as symmetricMatvec's contract says", () => {
    const m = 19, B = 3;
    const H = randomSymmetric(m, "fused:upper"), X = random(B * m, "fused:upper:X");
    const ref = chained(H, m, X, B);
    const garbage = Float64Array.from(H);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) garbage[i * m + j] = 1e300;
    const ws = createWasmWorkspace({ H: m * m, Hp: panelsSize(m), X: B * m, out: B * m })!;
    ws.arrays.H.view.set(garbage);
    writePanels(garbage, m, ws.arrays.Hp.view);
    ws.arrays.X.view.set(X);
    expect(Array.from(ws.panelMatmul(ws.arrays.Hp, m, ws.arrays.X, B, ws.arrays.out))).toEqual(Array.from(ref));
    ws.symmetricMatvec(ws.arrays.H, m, ws.arrays.X, ws.arrays.out);
    expect(Array.from(ws.arrays.out.view.subarray(0, m))).toEqual(Array.from(ref.subarray(0, m)));
  });
});

describe("fusedEngine", () => {
  const d = 5, m = packedSize(d);
  const moments = () => momentsOf(m, randomSymmetric(m, "fused:engine:H"), random(m, "fused:engine:b"), 1);

  it.runIf(wasmAvailable)("is made once per data set and grows when a batch needs more room (WebAssembly kernels only: skipped on the TypeScript ones)", () => {
    const mo = moments();
    const small = fusedEngine(mo, d, 2, 3)!;
    expect(fusedEngine(mo, d, 1, 2)).toBe(small);
    const wide = fusedEngine(mo, d, 5, 3)!;
    expect(wide).not.toBe(small);
    expect(wide.width).toBe(5);
    expect(fusedEngine(mo, d, 2, 7)!.kcap).toBe(7);
  });

  it.runIf(!wasmAvailable)("is null without the WebAssembly kernels (runs take the per-run path)", () => {
    expect(fusedEngine(moments(), d, 2, 3)).toBeNull();
  });
});
