/**
 * Second moments of a data set, H = (1/n) Σ a_i a_iᵀ (m×m), b = (1/n) Σ y_i a_i,
 * c = (1/n) Σ y_i², and the product H·x a step needs, on the fastest kernels
 * this thread has: WebAssembly SIMD when the module is built (a blocked SYRK
 * over packed rows, or the fourth moments of the inputs for rank-one rows
 * pack(x xᵀ), and a symmetric matrix–vector product), else the TypeScript
 * kernels of ./packed.ts and ./quadratic.ts.
 *
 * H lives in the WebAssembly instance's memory when it was built there (one
 * copy, no transfer per step): `H` is a view of it, valid for the life of the
 * object.
 */
import { copyPrefix } from "./dense.js";
import { packedLinearMoments, packedMoments, packedSize, symmetricMatvec } from "./packed.js";
import {
  quadraticLinearMoments, quadraticMoments, quadraticMomentsScratchSize, scatterFourthMoments, transposePanel,
} from "./quadratic.js";
import { createWasmWorkspace, syrkStrips, type WasmWorkspace } from "./wasm/kernels.js";

export interface SecondMoments {
  m: number;
  /** m×m, full symmetric. */
  H: Float64Array;
  b: Float64Array;
  c: number;
  /** out = H·x (length m). O(m²/2); no allocation. */
  symv(x: Float64Array, out: Float64Array): Float64Array;
}

/** Rows per panel of the WebAssembly SYRK: 64 rows of m ≤ 1275 (≤ 0.65 MB packed) stay in L2 while H's upper triangle is swept. */
const SYRK_PANEL = 64;
/** Samples per panel of the WebAssembly fourth moments: d+1 rows of 256 samples (≤ 0.1 MB at d = 50) sit in L2. */
const FOURTH_PANEL = 256;

type SymvWorkspace = WasmWorkspace<"H" | "x" | "g">;

function wasmSymv(ws: SymvWorkspace, m: number): (x: Float64Array, out: Float64Array) => Float64Array {
  const { H, x: wx, g } = ws.arrays;
  return (x, out) => {
    copyPrefix(x, wx.view, m);
    ws.symmetricMatvec(H, m, wx, g);
    return copyPrefix(g.view, out, m);
  };
}

function typescriptMoments(m: number, H: Float64Array, b: Float64Array, c: number): SecondMoments {
  return { m, H, b, c, symv: (x, out) => symmetricMatvec(H, m, x, out) };
}

/**
 * Moments of given arrays (e.g. read from the cache), which it takes over: H (m×m,
 * full symmetric) is copied into WebAssembly memory when the kernels are
 * available, else used as it is (the caller must not change it afterwards).
 */
export function momentsOf(m: number, H: Float64Array, b: Float64Array, c: number): SecondMoments {
  const ws = createWasmWorkspace({ H: m * m, x: m, g: m });
  if (!ws) return typescriptMoments(m, H, b, c);
  ws.arrays.H.view.set(H.subarray(0, m * m));
  return { m, H: ws.arrays.H.view.subarray(0, m * m), b, c, symv: wasmSymv(ws, m) };
}

/**
 * Moments of n packed rows A (n×m, row-major). O(n·m²/2): in WebAssembly, a
 * SYRK over panels of SYRK_PANEL rows repacked into strips of four columns
 * (bit-identical to packedMoments: the same panel sums, added in the same order).
 */
export function packedRowMoments(A: Float64Array, n: number, m: number, y: Float64Array): SecondMoments {
  const b = new Float64Array(m);
  const strips = syrkStrips(m), ldh = 4 * strips;
  const ws = n > 0
    ? createWasmWorkspace({ H: ldh * ldh, x: m, g: m, rows: SYRK_PANEL * m, P: ldh * SYRK_PANEL })
    : null;
  if (!ws) {
    const H = new Float64Array(m * m);
    const c = packedMoments(A, n, m, y, H, b);
    return typescriptMoments(m, H, b, c);
  }
  const { H, rows: raw, P } = ws.arrays;
  for (let i0 = 0; i0 < n; i0 += SYRK_PANEL) {
    const rows = Math.min(SYRK_PANEL, n - i0);
    raw.view.set(A.subarray(i0 * m, (i0 + rows) * m));
    ws.syrkPackRows(raw, 0, rows, m, P);
    ws.syrkPanel(P, rows, strips, H);
  }
  ws.syrkFinish(H, m, 1 / n);
  const c = packedLinearMoments(A, n, m, y, b);
  return { m, H: H.view.subarray(0, m * m), b, c, symv: wasmSymv(ws, m) };
}

/**
 * Moments of the rank-one rows a_i = pack(x_i x_iᵀ) (off-diagonals doubled) of n
 * inputs X (n×d), never forming the rows: only the C(d+3, 4) distinct fourth
 * moments are summed (O(n·d⁴/24), a third of a SYRK), in WebAssembly SIMD when
 * available, then scattered to H (O(m²)).
 */
export function rankOneMoments(X: Float64Array, n: number, d: number, y: Float64Array): SecondMoments {
  const m = packedSize(d);
  const b = new Float64Array(m);
  const ws = n > 0
    ? createWasmWorkspace({ H: m * m, x: m, g: m, T: d * FOURTH_PANEL, Z: (d + 1) * FOURTH_PANEL })
    : null;
  if (!ws) {
    const H = new Float64Array(m * m);
    const c = quadraticMoments(X, n, d, y, H, b, new Float64Array(quadraticMomentsScratchSize(d)));
    return typescriptMoments(m, H, b, c);
  }
  const { H, T, Z } = ws.arrays;
  for (let i0 = 0; i0 < n; i0 += FOURTH_PANEL) {
    const rows = Math.min(FOURTH_PANEL, n - i0);
    transposePanel(X, i0, rows, d, T.view);
    ws.fourthMomentPanel(T, rows, d, Z, H);
  }
  scatterFourthMoments(H.view, d, 1 / n);
  const c = quadraticLinearMoments(X, n, d, y, b);
  return { m, H: H.view, b, c, symv: wasmSymv(ws, m) };
}

