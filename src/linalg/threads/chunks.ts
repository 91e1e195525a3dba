/**
 * The one-off moment reductions (a SYRK over packed rows, the fourth moments of
 * the quadratic network's inputs) cut into chunks of rows of H, so two threads
 * can share them: each chunk writes only its own rows of H, and every entry of
 * H gets the same panel sums, added in the same order, whichever thread computes
 * its chunk and however the chunks are cut. Results are bit-identical with one
 * thread or two.
 *
 * Used by the calling thread (../moments.ts) and by the helper thread
 * (./moments-worker.ts) alike, so both run the same code.
 */
import { transposePanel } from "../quadratic.js";
import { packedSize } from "../packed.js";
import { syrkStrips, type WasmWorkspace } from "../wasm/kernels.js";

/** Rows per panel of the SYRK: 64 rows of m ≤ 1275 (≤ 0.65 MB packed) stay in L2 while H's upper triangle is swept. */
export const SYRK_PANEL = 64;
/** Samples per panel of the fourth moments: d+1 rows of 256 samples (≤ 0.1 MB at d = 50) sit in L2. */
export const FOURTH_PANEL = 256;

/**
 * A reduction: `syrk` sums a aᵀ over n packed rows of width m (input n×m);
 * `fourth` sums the fourth moments of n inputs of dimension d (input n×d).
 */
export type MomentJob = { kind: "syrk"; n: number; m: number } | { kind: "fourth"; n: number; d: number };

export type JobWorkspace = WasmWorkspace<"H" | "x" | "g" | "S1" | "S2">;

/** Row stride of the accumulated H: the SYRK's padded 4·strips, the fourth moments' m. */
export function hStride(job: MomentJob): number {
  return job.kind === "syrk" ? 4 * syrkStrips(job.m) : packedSize(job.d);
}

/** Width of one input row (m or d). */
export function inputWidth(job: MomentJob): number {
  return job.kind === "syrk" ? job.m : job.d;
}

/** Lengths of the workspace arrays: H, the x and g of H·x, and two panel scratches. */
export function jobLayout(job: MomentJob): Record<"H" | "x" | "g" | "S1" | "S2", number> {
  const stride = hStride(job);
  if (job.kind === "syrk") {
    return { H: stride * stride, x: job.m, g: job.m, S1: SYRK_PANEL * job.m, S2: stride * SYRK_PANEL };
  }
  const m = packedSize(job.d);
  return { H: m * m, x: m, g: m, S1: job.d * FOURTH_PANEL, S2: (job.d + 1) * FOURTH_PANEL };
}

/**
 * The units a job is cut along and what each costs: the SYRK's strips of four
 * rows of H (strip s: its 4×4 tiles from the diagonal on, strips − s of them);
 * the fourth moments' pairs a ≤ b in packed order (pair (a, b): x_a∘x_b, the
 * d − b rows x_a∘x_b∘x_c and their (d − b)(d − b + 1)/2 sums).
 */
export function unitCosts(job: MomentJob): Float64Array {
  if (job.kind === "syrk") {
    const strips = syrkStrips(job.m);
    return Float64Array.from({ length: strips }, (_, s) => strips - s);
  }
  const d = job.d;
  const costs = new Float64Array(packedSize(d));
  let p = 0;
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) costs[p++] = 1 + (d - b) + ((d - b) * (d - b + 1)) / 2;
  return costs;
}

/**
 * Cut units 0..costs.length into at most `count` consecutive chunks of about
 * equal cost: boundaries[0] = 0 < … < boundaries[last] = costs.length.
 * @example chunkBoundaries(Float64Array.of(3, 2, 1), 2) // Int32Array [0, 1, 3]
 */
export function chunkBoundaries(costs: ArrayLike<number>, count: number): Int32Array {
  const units = costs.length;
  let total = 0;
  for (let i = 0; i < units; i++) total += costs[i];
  const out = [0];
  let acc = 0;
  for (let i = 0; i < units; i++) {
    acc += costs[i];
    const next = out.length;
    if (next < count && acc >= (total * next) / count && i + 1 < units) out.push(i + 1);
  }
  out.push(units);
  return Int32Array.from(out);
}

/** Elements [from, to) of the accumulated H that the units [lo, hi) write (whole rows, stride hStride). */
export function hRange(job: MomentJob, lo: number, hi: number): [from: number, to: number] {
  const stride = hStride(job);
  return job.kind === "syrk" ? [4 * lo * stride, Math.min(4 * hi, stride) * stride] : [lo * stride, hi * stride];
}

/**
 * Add the chunk of units [lo, hi) of the reduction of `input` (n rows, row-major)
 * into ws's H, panel by panel in sample order. O(n·width²) per whole job.
 * `awaitRows(count)`, when given, returns once the first `count` rows are in
 * `input` (a helper reducing rows while they are drawn).
 */
export function accumulateChunk(
  job: MomentJob, ws: JobWorkspace, input: Float64Array, lo: number, hi: number, awaitRows?: (count: number) => void,
): void {
  const { H, S1, S2 } = ws.arrays;
  if (job.kind === "syrk") {
    const { n, m } = job, strips = syrkStrips(m);
    for (let i0 = 0; i0 < n; i0 += SYRK_PANEL) {
      const rows = Math.min(SYRK_PANEL, n - i0);
      awaitRows?.(i0 + rows);
      S1.view.set(input.subarray(i0 * m, (i0 + rows) * m));
      ws.syrkPackRows(S1, 0, rows, m, S2);
      ws.syrkPanel(S2, rows, strips, H, lo, hi);
    }
    return;
  }
  const { n, d } = job;
  for (let i0 = 0; i0 < n; i0 += FOURTH_PANEL) {
    const rows = Math.min(FOURTH_PANEL, n - i0);
    awaitRows?.(i0 + rows);
    transposePanel(input, i0, rows, d, S1.view);
    ws.fourthMomentPanel(S1, rows, d, S2, H, lo, hi);
  }
}
