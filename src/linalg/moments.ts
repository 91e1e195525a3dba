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
  quadraticLinearMoments, quadraticMoments, quadraticMomentsScratchSize, scatterFourthMoments,
} from "./quadratic.js";
import { jobLayout, type MomentJob } from "./threads/chunks.js";
import { accumulateMoments, streamMoments, type RowStream, type ShareOptions } from "./threads/share.js";
import { createWasmWorkspace, type WasmWorkspace } from "./wasm/kernels.js";

export interface SecondMoments {
  m: number;
  /** m×m, full symmetric. */
  H: Float64Array;
  b: Float64Array;
  c: number;
  /** out = H·x (length m). O(m²/2); no allocation. */
  symv(x: Float64Array, out: Float64Array): Float64Array;
}

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
 * SYRK over panels of rows repacked into strips of four columns (bit-identical
 * to packedMoments: the same panel sums, added in the same order), shared with
 * a helper thread when it pays (./threads/share.ts; the same result with one
 * thread or two).
 */
export function packedRowMoments(A: Float64Array, n: number, m: number, y: Float64Array, share?: ShareOptions): SecondMoments {
  const b = new Float64Array(m);
  const job: MomentJob = { kind: "syrk", n, m };
  const ws = n > 0 ? createWasmWorkspace(jobLayout(job)) : null;
  if (!ws) {
    const H = new Float64Array(m * m);
    const c = packedMoments(A, n, m, y, H, b);
    return typescriptMoments(m, H, b, c);
  }
  accumulateMoments(job, ws, A, share);
  const H = ws.syrkFinish(ws.arrays.H, m, 1 / n);
  const c = packedLinearMoments(A, n, m, y, b);
  return { m, H: H.subarray(0, m * m), b, c, symv: wasmSymv(ws, m) };
}

/**
 * Moments of the rank-one rows a_i = pack(x_i x_iᵀ) (off-diagonals doubled) of n
 * inputs X (n×d), never forming the rows: only the C(d+3, 4) distinct fourth
 * moments are summed (O(n·d⁴/24), a third of a SYRK), in WebAssembly SIMD when
 * available (shared with a helper thread when it pays), then scattered to H (O(m²)).
 */
export function rankOneMoments(X: Float64Array, n: number, d: number, y: Float64Array, share?: ShareOptions): SecondMoments {
  const m = packedSize(d);
  const b = new Float64Array(m);
  const job: MomentJob = { kind: "fourth", n, d };
  const ws = n > 0 ? createWasmWorkspace(jobLayout(job)) : null;
  if (!ws) {
    const H = new Float64Array(m * m);
    const c = quadraticMoments(X, n, d, y, H, b, new Float64Array(quadraticMomentsScratchSize(d)));
    return typescriptMoments(m, H, b, c);
  }
  accumulateMoments(job, ws, X, share);
  scatterFourthMoments(ws.arrays.H.view, d, 1 / n);
  const c = quadraticLinearMoments(X, n, d, y, b);
  return { m, H: ws.arrays.H.view, b, c, symv: wasmSymv(ws, m) };
}

/**
 * Where to draw n packed rows of width m that packedRowMoments will reduce, with
 * a helper thread reducing them panel by panel while they are drawn (call
 * `publish(count)` as rows are written); null when no helper would be used.
 * packedRowMoments(stream.rows, …) then collects the helper's H: the same bits
 * as computing it afterwards.
 */
export function streamRowMoments(n: number, m: number, share?: ShareOptions): RowStream | null {
  return streamMoments({ kind: "syrk", n, m }, share);
}
