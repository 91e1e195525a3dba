/**
 * Losses quadratic in X = UUᵀ reduced to sufficient statistics.
 *
 * Matrix sensing and the quadratic network both have L(U) = (1/n) Σ (a_iᵀx − y_i)²
 * with x = pack(UUᵀ) and a_i a packed measurement (off-diagonals doubled). So
 * L = xᵀHx − 2bᵀx + c with H = (1/n) Σ a_i a_iᵀ, b = (1/n) Σ y_i a_i,
 * c = (1/n) Σ y_i², and (1/n) Σ r_i a_i = Hx − b. Once H is built (O(n·m²/2),
 * shared by every run on the same data), a step costs O(m²) instead of O(n·m).
 */
import { copyPrefix, dot, gram, matmul } from "../linalg/dense.js";
import { createWasmWorkspace } from "../linalg/wasm/kernels.js";
import type { SecondMoments } from "../linalg/moments.js";
import { packSymmetric, unpackDoubled } from "../linalg/packed.js";
import type { FusedSource } from "./types.js";

/** H, b, c and the product H·x (see linalg/moments.ts: WebAssembly SIMD when built). */
export type Moments = SecondMoments;

/** Largest packed size m for which H (m² doubles, 8·m² bytes: 50 MB at 2500) is kept. */
export const MAX_MOMENTS_SIZE = 2500;

export type SensingRoute = "moments" | "direct";

/**
 * The cheaper route per step of a loss quadratic in x ∈ R^m over n rows (both sensing
 * models): moments when H fits and m < 2n (their one-off cost amortizes over a run).
 */
export function chooseSensingRoute(m: number, n: number): SensingRoute {
  return m <= MAX_MOMENTS_SIZE && m < 2 * n ? "moments" : "direct";
}

/**
 * g = Hx − b = (1/n) Σ r_i a_i and returns L = xᵀHx − 2bᵀx + c. O(m²).
 * The value loses ~1e-16·c of absolute precision to cancellation, which is why
 * logs switch to the direct loss once it is small (MOMENTS_LOG_FLOOR).
 */
export function momentsValueAndResidual(mo: Moments, x: Float64Array, g: Float64Array): number {
  const { m, b, c } = mo;
  mo.symv(x, g);
  for (let p = 0; p < m; p++) g[p] -= b[p];
  // xᵀHx − 2bᵀx + c = xᵀ(Hx − b) − bᵀx + c
  return Math.max(0, dot(x, g, m) - dot(b, x, m) + c);
}

/**
 * Logged losses come from the moments while L > MOMENTS_LOG_FLOOR·c: there the
 * cancellation error (~4e-16·c) is below 1e-9 of the value. Below it they are
 * computed directly on the data, so a loss at round-off level is still exact.
 */
export const MOMENTS_LOG_FLOOR = 1e-6;

/**
 * ∇L = 4·G·U from g = (1/n) Σ r_i a_i (packed, off-diagonals doubled), with
 * G = (1/n) Σ r_i A_i unpacked into the d×d scratch G. O(d²k).
 */
export function gradientFromPackedResidual(
  g: Float64Array, d: number, U: Float64Array, k: number, G: Float64Array, grad: Float64Array,
): void {
  matmul(unpackDoubled(g, d, G), d, d, U, k, grad);
  for (let i = 0; i < d * k; i++) grad[i] *= 4;
}

/** The moments route of a loss over U ∈ R^{d×k}, with its scratch allocated once. */
export interface MomentsRoute {
  /** L(U), and ∇L into grad. O(m² + 1.5·d²k). */
  valueAndGradient(U: Float64Array, k: number, grad: Float64Array): number;
  /**
   * L(U) from the moments if that is accurate to 1e-9 relative, else null (compute it directly).
   * `known`: valueAndGradient's value at this U (the same bits), so the product H·x is not redone.
   */
  lossIfAccurate(U: Float64Array, k: number, known?: number): number | null;
  /** Set when valueAndGradient runs on the WebAssembly kernels: the fused step (linalg/fused.ts) gives the same bits. */
  fused?: FusedSource;
}

export function momentsRoute(mo: Moments, d: number, kMax: number): MomentsRoute {
  const x = new Float64Array(mo.m);
  const g = new Float64Array(mo.m);
  const route = (
    valueAt: (U: Float64Array, k: number) => number, gradient: (U: Float64Array, k: number, grad: Float64Array) => void, fused?: FusedSource,
  ): MomentsRoute => ({
    fused,
    valueAndGradient(U, k, grad) {
      const value = valueAt(U, k);
      gradient(U, k, grad);
      return value;
    },
    lossIfAccurate(U, k, known) {
      const value = known ?? valueAt(U, k);
      return value > MOMENTS_LOG_FLOOR * mo.c ? value : null;
    },
  });
  // U·Uᵀ and G·U in WebAssembly SIMD when built (U copied in, the gradient out: 2·d·k doubles a step)
  const ws = createWasmWorkspace({ U: d * kMax, X: d * d, G: d * d, GU: d * kMax });
  if (ws) {
    const { U: wU, X, G, GU } = ws.arrays;
    return route(
      (U, k) => {
        copyPrefix(U, wU.view, d * k);
        return momentsValueAndResidual(mo, packSymmetric(ws.gram(wU, d, k, X), d, x), g);
      },
      (_U, k, grad) => {
        unpackDoubled(g, d, G.view);
        const out = ws.matmul(G, d, d, wU, k, GU);
        for (let i = 0; i < d * k; i++) grad[i] = 4 * out[i];
      },
      { moments: mo, rows: d },
    );
  }
  const X = new Float64Array(d * d);
  const G = new Float64Array(d * d);
  return route(
    (U, k) => momentsValueAndResidual(mo, packSymmetric(gram(U, d, k, X), d, x), g),
    (U, k, grad) => gradientFromPackedResidual(g, d, U, k, G, grad),
  );
}
