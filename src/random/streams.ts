/**
 * Seeded random streams. Every draw in prune-sense comes from seedrandom's alea
 * generator (fast, 2^116 period, stable across platforms), seeded by the
 * stream's key; normals come from a ziggurat over it (./ziggurat.ts), in
 * WebAssembly in bulk. Nothing calls Math.random. Streams are keyed by purpose
 * so that, e.g., the data depend only on `seed` and `problem.*` and the
 * initialization only on `seed`, `problem.d` and `model.*`: changing λ never
 * changes the data or U₀.
 */
import { NormalStream } from "./ziggurat.js";

/**
 * The version of the draws a seed gives: recorded in every result.json (its
 * provenance) and in the data cache's key. Resume and merge refuse a folder
 * written with another one, so no folder mixes data of two samplers. Change it
 * whenever a seed's draws change (the sampler, the generator or its seeding).
 * "box-muller-1" (prune-sense ≤ 0.1): Box–Muller over alea. "ziggurat-1" (0.2):
 * the ziggurat of ./ziggurat.ts.
 */
export const DATA_STREAM = "ziggurat-1";

/** The stream of folders written before streams were recorded (prune-sense ≤ 0.1). */
export const LEGACY_DATA_STREAM = "box-muller-1";

/** A source of uniform draws in [0, 1) and standard normal draws. */
export interface Rng {
  uniform(): number;
  normal(): number;
  /**
   * Fill out[offset .. offset + len) with iid N(0, 1)·scale: the same values as len calls of
   * normal(), drawn in bulk (in WebAssembly when it is built). Use it wherever draws go into a buffer.
   */
  fillNormal(out: Float64Array, scale?: number, len?: number, offset?: number): Float64Array;
}

/**
 * A stream for one purpose. `key` is any string (e.g. `data:1:{...}`); equal keys
 * give equal streams, whichever kernels run.
 * @example const rng = createStream("init:1:20:{\"k\":40}"); rng.normal();
 */
export function createStream(key: string): Rng {
  const s = new NormalStream(`prune-sense/${key}`);
  return {
    uniform: () => s.uniform(),
    normal: () => s.normal(),
    fillNormal: (out, scale = 1, len = out.length, offset = 0) => s.fill(out, scale, len, offset),
  };
}

/** Deterministic JSON with sorted keys: the canonical text of a value for keys and hashes. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
}

/** Values drawn per bulk call of drawRows (256 KiB of scratch). */
const ROW_CHUNK = 32768;

/**
 * n rows of `width` + 1 normals in stream order, drawn in bulk: the values of
 * n·(width + 1) calls of rng.normal(). Each data generator draws a row's entries
 * and then its noise draw ξ this way, so the first n rows of a larger n agree.
 * `visit(i, z, o)` reads row i at z[o .. o + width] (z[o + width] is ξ); z is
 * scratch, overwritten by the next chunk.
 * @example drawRows(rng, n, d, (i, z, o) => { X.set(z.subarray(o, o + d), i * d); y[i] = z[o + d]; });
 */
export function drawRows(rng: Rng, n: number, width: number, visit: (i: number, z: Float64Array, o: number) => void): void {
  const stride = width + 1;
  const rows = Math.max(1, Math.floor(ROW_CHUNK / stride));
  const z = new Float64Array(Math.min(n, rows) * stride);
  for (let i0 = 0; i0 < n; i0 += rows) {
    const count = Math.min(rows, n - i0);
    rng.fillNormal(z, 1, count * stride, 0);
    for (let t = 0; t < count; t++) visit(i0 + t, z, t * stride);
  }
}
