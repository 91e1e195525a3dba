/**
 * Direct losses over a fixed data set (packed rows of sensing matrices, or the
 * inputs of the quadratic net), on the fastest kernels this thread has:
 * WebAssembly SIMD when built (the data copied into an instance once, on the
 * first call, when at most MAX_LOSS_COPY doubles), else the TypeScript kernels. Logged losses use them (the test
 * loss at every logged step).
 */
import { copyPrefix } from "./dense.js";
import { packedResidualSseMany } from "./packed.js";
import { quadFormSse } from "./quadratic.js";
import { createWasmWorkspace, quadScratchSize, type WasmWorkspace } from "./wasm/kernels.js";

/**
 * Data sets of at most this many doubles (4 MB) are copied into WebAssembly for their
 * losses; larger ones stay where they are (the TypeScript kernel reads them), so a big
 * data set is never held twice, and a single run does not pay for a copy it would use a
 * few times (first writes to fresh WebAssembly memory cost ~2.5 ms per MB here: 70 ms
 * for the 26 MB of sensing at (d, n) = (40, 4000)). The choice depends on the sizes
 * only, so a run's logged losses have the same bits alone or in a sweep.
 */
export const MAX_LOSS_COPY = 2 ** 19;

/** Vectors per call of the kernel (a workspace holds this many x). */
export const SSE_BATCH = 8;

/** Σ_i (a_iᵀx − y_i)² over fixed rows of A, at one x or at many. */
export interface RowsSse {
  /** at x (length m) */
  at(x: Float64Array): number;
  /**
   * out_b for the B vectors of X (m each, one after another): at(x_b), with its bits,
   * but A read once per SSE_BATCH vectors.
   */
  atMany(X: Float64Array, B: number, out: Float64Array): Float64Array;
}

/** The SSE over the n rows of A (n×m) and targets y; A and y must not change afterwards. */
export function rowsResidualSse(A: Float64Array, n: number, m: number, y: Float64Array): RowsSse {
  let ws: WasmWorkspace<"A" | "y" | "X" | "out"> | null | undefined;
  const atMany = (X: Float64Array, B: number, out: Float64Array): Float64Array => {
    if (ws === undefined) {
      ws = n > 0 && n * m <= MAX_LOSS_COPY ? createWasmWorkspace({ A: n * m, y: n, X: SSE_BATCH * m, out: SSE_BATCH }) : null;
      ws?.arrays.A.view.set(A.subarray(0, n * m));
      ws?.arrays.y.view.set(y.subarray(0, n));
    }
    if (!ws) return packedResidualSseMany(A, n, m, X, B, y, out);
    const w = ws.arrays;
    for (let b0 = 0; b0 < B; b0 += SSE_BATCH) {
      const count = Math.min(SSE_BATCH, B - b0);
      copyPrefix(X.subarray(b0 * m), w.X.view, count * m);
      out.set(ws.packedResidualSseMany(w.A, n, m, w.X, count, w.y, w.out).subarray(0, count), b0);
    }
    return out;
  };
  const one = new Float64Array(1);
  return { at: (x) => atMany(x, 1, one)[0], atMany };
}

/**
 * W ↦ Σ_i (x_iᵀWx_i − y_i)² over the n inputs X (n×d), W symmetric: quadratic.ts's
 * quadFormSse, in WebAssembly when built (X copied in once, on the first call).
 */
export function inputsQuadSse(X: Float64Array, n: number, d: number, y: Float64Array): (W: Float64Array) => number {
  let ws: WasmWorkspace<"X" | "y" | "W" | "t"> | null | undefined;
  const t = new Float64Array(d);
  return (W) => {
    if (ws === undefined) {
      ws = n > 0 && n * d <= MAX_LOSS_COPY ? createWasmWorkspace({ X: n * d, y: n, W: d * d, t: quadScratchSize(d) }) : null;
      ws?.arrays.X.view.set(X.subarray(0, n * d));
      ws?.arrays.y.view.set(y.subarray(0, n));
    }
    if (!ws) return quadFormSse(X, n, d, W, y, t);
    copyPrefix(W, ws.arrays.W.view, d * d);
    return ws.quadFormSse(ws.arrays.X, n, d, ws.arrays.W, ws.arrays.y, ws.arrays.t);
  };
}
