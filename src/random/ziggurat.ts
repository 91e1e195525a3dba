/**
 * Exact standard normal draws by the ziggurat method (Marsaglia and Tsang 2000,
 * with Doornik's 2005 repair: the layer index, the sign and the uniform come
 * from disjoint bits), over seedrandom's alea generator.
 *
 * The uniform source. seedrandom seeds alea from the stream's key (its Mash
 * hash) and hands over the state ({state: true}); from there the generator is
 * stepped here, in integers: alea is a multiply-with-carry generator,
 * x_n = (2091639·x_{n−3} + c) mod 2³², c = the carry, which alea computes
 * exactly in doubles. So a stream's words are alea's (uniform() returns
 * alea's own outputs, word/2³²: shuffles and bootstraps draw what they drew
 * before) and every draw stays a function of the config.
 *
 * A normal draw. N = 256 layers of equal area v under f(x) = exp(−x²/2): the
 * base layer is [0, X₀] × [0, f(r)] with the tail beyond r = X₁ (X₀ = v/f(r)),
 * layer i ≥ 1 is [0, X_i] × [f(X_i), f(X_{i+1})], X_N = 0. Two 32-bit words
 * a, b give the layer i = a & 255, the sign (bit 8 of a) and u = (a ≫ 11 : b)·2⁻⁵³,
 * a uniform of 53 bits; x = u·X_i.
 *   x < X_{i+1}: inside the layer's rectangle, accept (98.5% of draws);
 *   i = 0: the tail, by Marsaglia's method: s = −ln(U₁)/r, t = −ln(U₂) until
 *          2t ≥ s², then r + s;
 *   else:  the wedge: accept x if f(X_i) + U·(f(X_{i+1}) − f(X_i)) < f(x),
 *          otherwise draw again from two new words.
 * U, U₁, U₂ are 53-bit uniforms in (0, 1] from two words each. This is exact:
 * the accepted points are uniform under f, so the result is N(0, 1) up to the
 * rounding of doubles (no approximation of f; r and v solve the ziggurat's
 * equations to 25 digits, so the layers' areas agree to ~1e-16).
 *
 * Two implementations, one stream. `NormalStream.normal` (here) is the whole
 * algorithm in TypeScript; wasm/assembly/normal.ts runs the rectangle case in
 * bulk for fillNormal and stops before any other draw, which the TypeScript
 * code then makes from the same state. Both do the same IEEE operations on the
 * same exact integers, so the draws are bit-identical whichever backend runs
 * (PRUNE_SENSE_KERNELS=ts draws everything here): the data never depend on the
 * backend. The tables are computed once, here, and copied into WebAssembly
 * memory, so both read the same bits. exp and log are V8's (fdlibm ports, the
 * same on every platform), as Box–Muller's log, sin and cos were before.
 */
import seedrandom from "seedrandom";
import { instantiateKernels } from "../linalg/wasm/kernels.js";

/** Layers of the ziggurat (a power of two: the layer is 8 bits of a word). */
export const ZIGGURAT_LAYERS = 256;
/** Where the tail starts: the root of the ziggurat's equations for 256 layers (mpmath, 50 digits). */
export const ZIGGURAT_R = 3.6541528853610088;
/** The area of each layer: r·f(r) + ∫_r^∞ f. */
export const ZIGGURAT_V = 0.004928673233974655;

const TWO_32 = 4294967296;
const TWO_M32 = 1 / TWO_32;
const TWO_M53 = 1.1102230246251565e-16;
/** alea's multiplier. */
const ALEA_A = 2091639;

/** The layer edges X_0 … X_N (X_N = 0) and f(X_i) = exp(−X_i²/2). */
export interface ZigguratTables {
  X: Float64Array;
  F: Float64Array;
}

function buildTables(): ZigguratTables {
  const N = ZIGGURAT_LAYERS;
  const f = (x: number): number => Math.exp(-0.5 * x * x);
  const X = new Float64Array(N + 1);
  X[0] = ZIGGURAT_V / f(ZIGGURAT_R);
  X[1] = ZIGGURAT_R;
  for (let i = 2; i < N; i++) X[i] = Math.sqrt(-2 * Math.log(ZIGGURAT_V / X[i - 1] + f(X[i - 1])));
  X[N] = 0;
  const F = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) F[i] = f(X[i]);
  return { X, F };
}

/** The tables every stream reads (computed once per thread). */
export const zigguratTables: ZigguratTables = buildTables();
const { X, F } = zigguratTables;

/** Values per call of the WebAssembly fill: its output buffer (256 KiB). */
const CHUNK = 32768;

/** The WebAssembly fast path: an instance with the state, the table X and an output buffer in its memory. */
interface WasmSampler {
  fill(state: number, X: number, out: number, len: number, scale: number): number;
  statePtr: number;
  tablePtr: number;
  bufPtr: number;
  state: Uint32Array;
  buf: Float64Array;
}

let sampler: WasmSampler | null | undefined;

/** This thread's WebAssembly sampler, or null (no kernels, or PRUNE_SENSE_KERNELS=ts). Created on first use. */
function wasmSampler(): WasmSampler | null {
  if (sampler !== undefined) return sampler;
  sampler = null;
  const e = instantiateKernels() as { memory: WebAssembly.Memory; heapBase(): number; normalFill: WasmSampler["fill"] } | null;
  if (!e || typeof e.normalFill !== "function") return sampler;
  const statePtr = Math.ceil(e.heapBase() / 16) * 16;
  const tablePtr = statePtr + 16;
  const bufPtr = tablePtr + 8 * (ZIGGURAT_LAYERS + 16);
  const end = bufPtr + 8 * CHUNK;
  const pages = Math.ceil(end / 65536) - e.memory.buffer.byteLength / 65536;
  try {
    if (pages > 0) e.memory.grow(pages);
  } catch {
    return sampler;
  }
  new Float64Array(e.memory.buffer, tablePtr, ZIGGURAT_LAYERS + 1).set(X);
  sampler = {
    fill: e.normalFill,
    statePtr,
    tablePtr,
    bufPtr,
    state: new Uint32Array(e.memory.buffer, statePtr, 4),
    buf: new Float64Array(e.memory.buffer, bufPtr, CHUNK),
  };
  return sampler;
}

/** Whether fillNormal runs its rectangle case in WebAssembly on this thread (the draws are the same either way). */
export function wasmSamplerAvailable(): boolean {
  return wasmSampler() !== null;
}

/**
 * One seeded stream: alea's state, stepped as integers, and the ziggurat over it.
 * @example const s = new NormalStream("prune-sense/key"); s.normal(); s.fill(buf, 1, buf.length, 0);
 */
export class NormalStream {
  s0: number;
  s1: number;
  s2: number;
  c: number;
  /** Use the WebAssembly fast path when there is one (false: the TypeScript twin only, for tests). */
  readonly useWasm: boolean;

  constructor(seed: string, useWasm = true) {
    const st = seedrandom.alea(seed, { state: true }).state() as unknown as { s0: number; s1: number; s2: number; c: number };
    this.s0 = st.s0 * TWO_32;
    this.s1 = st.s1 * TWO_32;
    this.s2 = st.s2 * TWO_32;
    this.c = st.c;
    this.useWasm = useWasm;
  }

  /** The next 32-bit word (alea's next output ×2³², exactly). */
  next32(): number {
    const t = ALEA_A * this.s0 + this.c;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = (t * TWO_M32) | 0;
    return (this.s2 = t - this.c * TWO_32);
  }

  /** A uniform in [0, 1): alea's own output, word/2³². */
  uniform(): number {
    return this.next32() * TWO_M32;
  }

  /** A 53-bit uniform in (0, 1], from two words (never 0: the tail takes its log). */
  uniform53(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b + 1) * TWO_M53;
  }

  /** One N(0, 1) draw (see the file's comment for the algorithm). */
  normal(): number {
    for (;;) {
      const a = this.next32();
      const b = this.next32();
      const i = a & 255;
      const x = ((a >>> 11) * TWO_32 + b) * TWO_M53 * X[i];
      const negative = (a & 256) !== 0;
      if (x < X[i + 1]) return negative ? -x : x;
      if (i === 0) {
        let s: number;
        let t: number;
        do {
          s = -Math.log(this.uniform53()) / ZIGGURAT_R;
          t = -Math.log(this.uniform53());
        } while (t + t < s * s);
        return negative ? -(ZIGGURAT_R + s) : ZIGGURAT_R + s;
      }
      if (F[i] + this.uniform53() * (F[i + 1] - F[i]) < Math.exp(-0.5 * x * x)) return negative ? -x : x;
    }
  }

  /** out[offset + j] = scale·N(0, 1) for j < len: the same values, in order, as len calls of normal(). */
  fill(out: Float64Array, scale: number, len: number, offset: number): Float64Array {
    const w = this.useWasm ? wasmSampler() : null;
    if (!w) return this.fillHere(out, scale, len, offset);
    const state = w.state;
    const buf = w.buf;
    let done = 0;
    while (done < len) {
      const want = Math.min(CHUNK, len - done);
      state[0] = this.s0;
      state[1] = this.s1;
      state[2] = this.s2;
      state[3] = this.c;
      const got = w.fill(w.statePtr, w.tablePtr, w.bufPtr, want, scale);
      this.s0 = state[0];
      this.s1 = state[1];
      this.s2 = state[2];
      this.c = state[3];
      const base = offset + done;
      for (let j = 0; j < got; j++) out[base + j] = buf[j];
      done += got;
      // the draw the fast path left: a wedge or the tail, from the state it stopped at
      if (got < want) out[offset + done++] = scale * this.normal();
    }
    return out;
  }

  /**
   * fill() in TypeScript: the rectangle case with the state in locals (the twin of
   * normalFill in wasm/assembly/normal.ts, line for line), normal() for the others.
   */
  private fillHere(out: Float64Array, scale: number, len: number, offset: number): Float64Array {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let c = this.c;
    for (let j = offset; j < offset + len; j++) {
      const t1 = ALEA_A * s0 + c;
      const c1 = (t1 * TWO_M32) | 0;
      const a = t1 - c1 * TWO_32;
      const t2 = ALEA_A * s1 + c1;
      const c2 = (t2 * TWO_M32) | 0;
      const b = t2 - c2 * TWO_32;
      const i = a & 255;
      const x = ((a >>> 11) * TWO_32 + b) * TWO_M53 * X[i];
      if (x < X[i + 1]) {
        s0 = s2;
        s1 = a;
        s2 = b;
        c = c2;
        out[j] = scale * ((a & 256) !== 0 ? -x : x);
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.c = c;
        out[j] = scale * this.normal();
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        c = this.c;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.c = c;
    return out;
  }
}
