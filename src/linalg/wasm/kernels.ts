/**
 * WebAssembly twins of the hot linalg kernels (source: wasm/assembly/index.ts,
 * compiled by `npm run build` to dist/linalg/wasm/kernels.wasm), 2-4× faster
 * than the TypeScript kernels because they use f64x2 SIMD.
 *
 * The module is compiled once per thread when this file is loaded; each
 * `WasmWorkspace` is its own instance with its own linear memory, sized once
 * when it is created: a loss creates one and keeps its data and scratch there,
 * so no step allocates or grows memory (growing would detach the views), and
 * the memory goes when the loss is garbage. Every kernel has the contract of
 * its TypeScript twin in ../dense.ts or ../quadratic.ts (results agree to
 * rounding; a given build gives bit-identical results on every run and thread,
 * since WebAssembly fixes IEEE semantics).
 *
 * When the .wasm file is missing or cannot be compiled, `wasmAvailable` is false
 * and `createWasmWorkspace` returns null: callers keep their TypeScript route.
 * PRUNE_SENSE_KERNELS=ts forces that fallback, PRUNE_SENSE_KERNELS=wasm refuses it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** Where the built module may be, relative to this file: beside it in dist/, or dist/ seen from src/ (tests run the TS directly). */
const WASM_CANDIDATES = ["./kernels.wasm", "../../../dist/linalg/wasm/kernels.wasm"];

/** The module's exports; every matrix argument is a byte offset into `memory`. */
interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  mirrorUpper(S: number, n: number): void;
  sumSquaredDiff(a: number, b: number, len: number): number;
  scaledDiff(alpha: number, a: number, b: number, len: number, out: number): void;
  gram(U: number, d: number, k: number, out: number): void;
  matmul(A: number, p: number, q: number, B: number, s: number, out: number): void;
  quadFormResidualGram(X: number, n: number, d: number, W: number, y: number, G: number, t: number): number;
  quadFormSse(X: number, n: number, d: number, W: number, y: number, t: number): number;
  syrkPackRows(src: number, rows: number, m: number, P: number): void;
  syrkPackOuterRows(X: number, rows: number, d: number, P: number): void;
  syrkPanel(P: number, rows: number, strips: number, H: number, ps: number, pe: number): void;
  syrkFinish(H: number, m: number, ldh: number, scale: number): void;
  symmetricMatvec(H: number, m: number, x: number, out: number): void;
  fourthMomentPanel(T: number, rows: number, d: number, Z: number, H: number, p0: number, p1: number): void;
  panelMatmul(Hp: number, m: number, X: number, B: number, out: number): void;
  packedResidualSseMany(A: number, n: number, m: number, X: number, B: number, y: number, out: number): void;
  reorthogonalize(Q: number, count: number, w: number, len: number): void;
  fusedAdvance(
    H: number, m: number, b: number, c: number, d: number, kcap: number, chunk: number,
    base: number, stride: number, slots: number, n: number, maxSteps: number, evaluateOnly: number, scratch: number, panels: number,
  ): number;
}

/** Strips of four columns the SYRK kernels split an m-column panel into; H is accumulated with stride 4·strips. */
export function syrkStrips(m: number): number {
  return Math.ceil(m / 4);
}

/**
 * Length of the scratch `t` of the WebAssembly quadFormResidualGram and quadFormSse
 * (longer than their twins' d): W folded onto its upper triangle (d²), a panel of
 * r_i·x_i (d²) and the panel's residuals (d).
 */
export function quadScratchSize(d: number): number {
  return 2 * d * d + d;
}

/** What PRUNE_SENSE_KERNELS asks for: "ts" (the TypeScript fallbacks), "wasm" (required) or "auto" (wasm when built). */
export type KernelsSwitch = "ts" | "wasm" | "auto";

/**
 * Read PRUNE_SENSE_KERNELS: "ts" forces the TypeScript fallbacks (so tests and CI exercise them),
 * "wasm" requires the WebAssembly kernels, unset or "auto" uses them when built. Another value is
 * reported as `problem` (the CLI turns it into a user error) and reads as "auto".
 */
export function readKernelsSwitch(value: string | undefined): { requested: KernelsSwitch; problem: string | null } {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "ts" || v === "wasm") return { requested: v, problem: null };
  if (v === "" || v === "auto") return { requested: "auto", problem: null };
  return { requested: "auto", problem: `PRUNE_SENSE_KERNELS=${value}: expected ts, wasm or auto` };
}

const kernelsSwitch = readKernelsSwitch(process.env.PRUNE_SENSE_KERNELS);

function compileKernels(): WebAssembly.Module | null {
  return kernelsSwitch.requested === "ts" ? null : loadKernels();
}

function loadKernels(): WebAssembly.Module | null {
  for (const candidate of WASM_CANDIDATES) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = readFileSync(new URL(candidate, import.meta.url)) as Uint8Array<ArrayBuffer>;
    } catch {
      continue;
    }
    try {
      return new WebAssembly.Module(bytes);
    } catch {
      return null; // e.g. a runtime without SIMD: stay on the TypeScript kernels
    }
  }
  return null;
}

const compiled = compileKernels();

/** Whether this thread has the WebAssembly kernels (false: every caller uses the TypeScript ones). */
export const wasmAvailable: boolean = compiled !== null;

/**
 * Why the kernels asked for by PRUNE_SENSE_KERNELS cannot be used (an unknown value, or "wasm"
 * without a loadable module), or null. The CLI reports it as a user error before doing anything.
 */
export const kernelsSwitchProblem: string | null = kernelsSwitch.problem
  ?? (kernelsSwitch.requested === "wasm" && compiled === null
    ? "PRUNE_SENSE_KERNELS=wasm: the WebAssembly kernels (kernels.wasm, built into dist/ by `npm run build`) are missing or cannot be compiled"
    : null);

let fingerprint: string | undefined;

/**
 * Which kernels this thread computes with: "ts", or "wasm:" and a hash of the
 * module's bytes (results are reproducible bit for bit within one fingerprint).
 */
export function kernelsFingerprint(): string {
  if (fingerprint) return fingerprint;
  fingerprint = "ts";
  if (compiled) {
    for (const candidate of WASM_CANDIDATES) {
      try {
        fingerprint = `wasm:${createHash("sha256").update(readFileSync(new URL(candidate, import.meta.url))).digest("hex").slice(0, 16)}`;
        break;
      } catch {
        continue;
      }
    }
  }
  return fingerprint;
}

/**
 * A fresh instance of the module with its own memory (its exports), or null when the kernels are
 * unavailable: for other modules' WebAssembly in the same file, e.g. the normal sampler of random/.
 */
export function instantiateKernels(): WebAssembly.Exports | null {
  return compiled ? new WebAssembly.Instance(compiled, {}).exports : null;
}

/** A Float64Array in a workspace's linear memory, with its byte offset for the kernels. */
export interface WasmArray {
  readonly ptr: number;
  readonly view: Float64Array;
}

const PAGE = 65536;
/** v128 loads need no alignment, but 16-byte aligned buffers keep them within one cache line more often. */
const ALIGN = 16;

const alignUp = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

/**
 * One instance of the kernels with the named Float64Arrays laid out in its
 * memory. Kernels take WasmArrays of this workspace only (a pointer means
 * nothing in another instance's memory), write into the caller-provided `out`
 * and return it, as their twins do.
 */
export class WasmWorkspace<K extends string> {
  readonly arrays: Readonly<Record<K, WasmArray>>;
  readonly #k: KernelExports;

  /** @internal use createWasmWorkspace */
  constructor(k: KernelExports, arrays: Record<K, WasmArray>) {
    this.#k = k;
    this.arrays = arrays;
  }

  /** ‖a − b‖² over the first len entries. Twin of dense.sumSquaredDiff (bit-identical: same partial sums). */
  sumSquaredDiff(a: WasmArray, b: WasmArray, len: number): number {
    return this.#k.sumSquaredDiff(a.ptr, b.ptr, len);
  }

  /** out[i] = alpha·(a[i] − b[i]) over the first len entries; out may be a or b. */
  scaledDiff(alpha: number, a: WasmArray, b: WasmArray, len: number, out: WasmArray): Float64Array {
    this.#k.scaledDiff(alpha, a.ptr, b.ptr, len, out.ptr);
    return out.view;
  }

  /** out = U·Uᵀ (d×d, full symmetric), U d×k. Twin of dense.gram. */
  gram(U: WasmArray, d: number, k: number, out: WasmArray): Float64Array {
    this.#k.gram(U.ptr, d, k, out.ptr);
    return out.view;
  }

  /** out = A·B, A p×q, B q×s. Twin of dense.matmul. */
  matmul(A: WasmArray, p: number, q: number, B: WasmArray, s: number, out: WasmArray): Float64Array {
    this.#k.matmul(A.ptr, p, q, B.ptr, s, out.ptr);
    return out.view;
  }

  /** Copy the upper triangle of the n×n S onto its lower one. Twin of dense.mirrorUpper. */
  mirrorUpper(S: WasmArray, n: number): Float64Array {
    this.#k.mirrorUpper(S.ptr, n);
    return S.view;
  }

  /**
   * r_i = x_iᵀWx_i − y_i, G = Σ r_i x_i x_iᵀ; returns Σ r_i². Twin of
   * quadratic.quadFormResidualGram, but `t` has length quadScratchSize(d).
   */
  quadFormResidualGram(X: WasmArray, n: number, d: number, W: WasmArray, y: WasmArray, G: WasmArray, t: WasmArray): number {
    return this.#k.quadFormResidualGram(X.ptr, n, d, W.ptr, y.ptr, G.ptr, t.ptr);
  }

  /**
   * Repack `rows` rows of src (stride m, from element `from`) into the column strips P
   * (length ≥ 4·syrkStrips(m)·rows) that syrkPanel reads.
   */
  syrkPackRows(src: WasmArray, from: number, rows: number, m: number, P: WasmArray): void {
    this.#k.syrkPackRows(src.ptr + 8 * from, rows, m, P.ptr);
  }

  /** The strips of the rows pack(x xᵀ) (off-diagonals doubled) of `rows` inputs X (stride d, from element `from`). */
  syrkPackOuterRows(X: WasmArray, from: number, rows: number, d: number, P: WasmArray): void {
    this.#k.syrkPackOuterRows(X.ptr + 8 * from, rows, d, P.ptr);
  }

  /**
   * Rows 4·ps..4·pe of H's upper triangle (stride 4·strips) += Σ a aᵀ over a panel
   * of `rows` repacked rows. O(rows·m²/2) for the whole range.
   */
  syrkPanel(P: WasmArray, rows: number, strips: number, H: WasmArray, ps = 0, pe = strips): void {
    this.#k.syrkPanel(P.ptr, rows, strips, H.ptr, ps, pe);
  }

  /** H (accumulated with stride 4·strips) → scale·H, full symmetric m×m with stride m, in place. */
  syrkFinish(H: WasmArray, m: number, scale: number): Float64Array {
    this.#k.syrkFinish(H.ptr, m, 4 * syrkStrips(m), scale);
    return H.view;
  }

  /** out = H·x, H symmetric m×m (all of it read). Twin of packed.symmetricMatvec. */
  symmetricMatvec(H: WasmArray, m: number, x: WasmArray, out: WasmArray): Float64Array {
    this.#k.symmetricMatvec(H.ptr, m, x.ptr, out.ptr);
    return out.view;
  }

  /**
   * Raw fourth-moment sums H[pk(a,b)·m + pk(c,e)] += Σ_s x_a x_b x_c x_e (a ≤ b ≤ c ≤ e)
   * over a panel T of `rows` inputs transposed (d×rows); Z is scratch of (d+1)·rows.
   * Only the rows pk(a,b) in [p0, p1) of H (default all), so callers may split the work.
   * Twin of the panel loop of quadratic.quadraticMoments.
   */
  fourthMomentPanel(T: WasmArray, rows: number, d: number, Z: WasmArray, H: WasmArray, p0 = 0, p1 = (d * (d + 1)) / 2): void {
    this.#k.fourthMomentPanel(T.ptr, rows, d, Z.ptr, H.ptr, p0, p1);
  }

  /**
   * out_b = H·x_b for B vectors stored one after another (m each), H in panels of 8 columns
   * (../fused.ts writePanels); each entry the chain of symmetricMatvec, so the same bits.
   */
  panelMatmul(Hp: WasmArray, m: number, X: WasmArray, B: number, out: WasmArray): Float64Array {
    this.#k.panelMatmul(Hp.ptr, m, X.ptr, B, out.ptr);
    return out.view;
  }

  /** out_b = Σ_i (a_iᵀx_b − y_i)² for the B vectors of X (m each). Twin of packed.packedResidualSseMany. */
  packedResidualSseMany(A: WasmArray, n: number, m: number, X: WasmArray, B: number, y: WasmArray, out: WasmArray): Float64Array {
    this.#k.packedResidualSseMany(A.ptr, n, m, X.ptr, B, y.ptr, out.ptr);
    return out.view;
  }

  /**
   * For two passes and each of the first `count` rows p of Q (len each, in order): w −= (p·w)·p.
   * Twin of the loop axpy(−dot(p, w), p, w) of dense.ts (the same bits).
   */
  reorthogonalize(Q: WasmArray, count: number, w: WasmArray, len: number): Float64Array {
    this.#k.reorthogonalize(Q.ptr, count, w.ptr, len);
    return w.view;
  }

  /** The fused descent steps of wasm/assembly/fused.ts (its layout: ../fused.ts); returns the runs still going. */
  fusedAdvance(
    H: WasmArray, m: number, b: WasmArray, c: number, d: number, kcap: number, chunk: number,
    slotsBase: WasmArray, stride: number, slots: WasmArray, n: number, maxSteps: number, evaluateOnly: boolean, scratch: WasmArray,
    panels: boolean,
  ): number {
    return this.#k.fusedAdvance(
      H.ptr, m, b.ptr, c, d, kcap, chunk, slotsBase.ptr, stride, slots.ptr, n, maxSteps, evaluateOnly ? 1 : 0, scratch.ptr, panels ? 1 : 0,
    );
  }

  /** Σ_i (x_iᵀWx_i − y_i)², W symmetric. Twin of quadratic.quadFormSse, but `t` has length quadScratchSize(d). */
  quadFormSse(X: WasmArray, n: number, d: number, W: WasmArray, y: WasmArray, t: WasmArray): number {
    return this.#k.quadFormSse(X.ptr, n, d, W.ptr, y.ptr, t.ptr);
  }
}

/**
 * A fresh instance of the kernels whose memory holds one Float64Array per entry
 * of `lengths` (zero-filled), or null when the kernels are unavailable or the
 * arrays do not fit in a 32-bit address space (callers then use the TypeScript
 * kernels).
 * @example
 * const ws = createWasmWorkspace({ U: d * k, D: d * d });
 * if (ws) { ws.arrays.U.view.set(U); ws.gram(ws.arrays.U, d, k, ws.arrays.D); }
 */
export function createWasmWorkspace<K extends string>(lengths: Record<K, number>): WasmWorkspace<K> | null {
  if (!compiled) return null;
  const k = new WebAssembly.Instance(compiled, {}).exports as unknown as KernelExports;
  const names = Object.keys(lengths) as K[];
  const offsets = new Map<K, number>();
  let end = alignUp(k.heapBase());
  for (const name of names) {
    offsets.set(name, end);
    end = alignUp(end + 8 * lengths[name]);
  }
  // grow once, before any view exists (growing detaches every view of the old buffer)
  const pages = Math.ceil(end / PAGE) - k.memory.buffer.byteLength / PAGE;
  if (pages > 0) {
    try {
      k.memory.grow(pages);
    } catch {
      return null;
    }
  }
  const arrays = {} as Record<K, WasmArray>;
  for (const name of names) {
    const ptr = offsets.get(name)!;
    arrays[name] = { ptr, view: new Float64Array(k.memory.buffer, ptr, lengths[name]) };
  }
  return new WasmWorkspace(k, arrays);
}
