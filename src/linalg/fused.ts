/**
 * The fused descent step (wasm/assembly/fused.ts) over the moments of one data
 * set: whole gradient-descent steps of up to `width` runs in one WebAssembly
 * call, H read once per step for all of them. Each run's arithmetic is that of
 * the per-run path operation for operation (see the AssemblyScript file), so a
 * run's bits do not depend on how many runs share its steps.
 *
 * A FusedEngine is one WebAssembly instance holding a copy of H (for one run as
 * it is, its upper triangle read; for more, in panels of 8 columns, each taken by
 * every pair of runs while it is in L1) and b, and one slot per run (its
 * parameters, U, ∇f, the previous Gram matrix and the Gram differences of the
 * rate fit). Only with the WebAssembly kernels: without them
 * `fusedEngine` returns null and runs take the per-run path.
 */
import type { SecondMoments } from "./moments.js";
import { packedSize } from "./packed.js";
import { createWasmWorkspace, type WasmWorkspace } from "./wasm/kernels.js";

/** Where a run's parameters and results sit in its slot (wasm/assembly/fused.ts's P_*). */
export const FusedParam = {
  t: 0, until: 1, k: 2, eta: 3, lambda: 4, beta: 5, penalty: 6, limit: 7, tol: 8, track: 9,
  stopped: 10, value: 11, objective: 12, gradNorm: 13, steps: 14,
} as const;
const PARAMS = 16;

/**
 * Steps per call at most: the slot's buffer of Gram differences. Between calls
 * JavaScript only copies those out, so the cost of a call (~1 µs) is amortized.
 */
export const FUSED_CHUNK = 256;

type Arrays = "H" | "b" | "slots" | "ids" | "scratch";

/** One run's views into its slot. */
export interface FusedSlot {
  params: Float64Array;
  U: Float64Array;
  /** ∇f at U once evaluated (d×k, row-major with k columns, in the first d·k entries). */
  grad: Float64Array;
  /** ‖X_{t+1} − X_t‖_F of the steps of the last call (P_STEPS of them). */
  gramSteps: Float64Array;
}

export class FusedEngine {
  readonly m: number;
  readonly #ws: WasmWorkspace<Arrays>;
  readonly #ids: Int32Array;
  readonly #stride: number;
  readonly #slots: FusedSlot[] = [];

  /** @internal use fusedEngine */
  constructor(
    readonly moments: SecondMoments, readonly d: number, readonly width: number, readonly kcap: number,
    ws: WasmWorkspace<Arrays>, stride: number,
  ) {
    this.m = moments.m;
    this.#ws = ws;
    this.#stride = stride;
    const { H, b, slots, ids } = ws.arrays;
    // one run: H as it is (its upper triangle is read); more: in panels, streamed once per two runs
    if (width > 1) writePanels(moments.H, this.m, H.view);
    else H.view.set(moments.H.subarray(0, this.m * this.m));
    b.view.set(moments.b.subarray(0, this.m));
    this.#ids = new Int32Array(ids.view.buffer, ids.ptr, width);
    const dk = d * kcap;
    for (let s = 0; s < width; s++) {
      const o = s * stride;
      this.#slots.push({
        params: slots.view.subarray(o, o + PARAMS),
        U: slots.view.subarray(o + PARAMS, o + PARAMS + dk),
        grad: slots.view.subarray(o + PARAMS + dk, o + PARAMS + 2 * dk),
        gramSteps: slots.view.subarray(o + PARAMS + 2 * dk + d * d, o + stride),
      });
    }
  }

  slot(s: number): FusedSlot {
    return this.#slots[s];
  }

  /**
   * Evaluate the runs of `slots` at their U (evaluate = true), or advance them up to
   * `maxSteps` (≤ FUSED_CHUNK) steps each, each stopping at its P_UNTIL or a stop test.
   * Returns the runs still going.
   */
  advance(slots: readonly number[], maxSteps: number, evaluate = false): number {
    for (let i = 0; i < slots.length; i++) this.#ids[i] = slots[i];
    const { H, b, slots: base, ids, scratch } = this.#ws.arrays;
    return this.#ws.fusedAdvance(
      H, this.m, b, this.moments.c, this.d, this.kcap, FUSED_CHUNK, base, this.#stride, ids, slots.length,
      Math.min(maxSteps, FUSED_CHUNK), evaluate, scratch, this.width > 1,
    );
  }
}

/** Panels of 8 columns of H (doubles per panel: 8·m). */
export function panelsSize(m: number): number {
  return Math.ceil(m / 8) * 8 * m;
}

/**
 * H (m×m, symmetric: its upper triangle is read) in the panel layout of panelMatmul
 * (wasm/assembly/fused.ts): panel P holds H_q,(8P+i) at P·8m + 8q + i, zero where 8P + i ≥ m.
 */
export function writePanels(H: Float64Array, m: number, out: Float64Array): Float64Array {
  out.fill(0, 0, panelsSize(m));
  for (let q = 0; q < m; q++) {
    for (let p = 0; p < m; p++) out[(p >> 3) * 8 * m + 8 * q + (p & 7)] = q <= p ? H[q * m + p] : H[p * m + q];
  }
  return out;
}

const engines = new WeakMap<SecondMoments, FusedEngine>();

/**
 * The fused engine of `moments` for d×k factors (k ≤ kcap) and up to `width` runs:
 * the one made before if it is large enough (one per data set and thread), else a
 * new one; null without the WebAssembly kernels.
 */
export function fusedEngine(moments: SecondMoments, d: number, width: number, kcap: number): FusedEngine | null {
  const old = engines.get(moments);
  if (old && old.d === d && old.width >= width && old.kcap >= kcap) return old;
  const W = Math.max(width, old?.width ?? 0), K = Math.max(kcap, old?.kcap ?? 0);
  const m = packedSize(d);
  if (m !== moments.m) throw new Error(`fused engine: moments of size ${moments.m} for d = ${d}`);
  const dd = d * d;
  const stride = PARAMS + 2 * d * K + dd + FUSED_CHUNK;
  // scratch: X, G, Xcur (d² each), colSq (k), then x and H·x of every run (m each)
  const ws = createWasmWorkspace<Arrays>({
    H: W > 1 ? panelsSize(m) : m * m, b: m, slots: W * stride, ids: Math.ceil(W / 2), scratch: 3 * dd + K + 2 * m * W,
  });
  if (!ws) return null;
  const engine = new FusedEngine(moments, d, W, K, ws, stride);
  engines.set(moments, engine);
  return engine;
}
