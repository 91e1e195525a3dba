/**
 * WebAssembly twins of the hot kernels of src/linalg (dense.ts, quadratic.ts),
 * compiled by AssemblyScript with 128-bit SIMD (two f64 lanes per instruction).
 *
 * Every argument that names a matrix is a byte offset into linear memory (the
 * caller, src/linalg/wasm/kernels.ts, lays out the buffers); matrices are flat
 * row-major f64 with explicit sizes, exactly as in the TypeScript kernels, and
 * each kernel has the same contract as its twin (what it reads, what it
 * overwrites; only the quadratic-form kernels take a longer scratch). Only the
 * summation order differs, so results agree with the
 * twins to rounding, and are reproducible: WebAssembly fixes IEEE semantics
 * (no fused multiply-add, no reassociation), whatever the tier that runs it.
 *
 * Why SIMD here and not in TypeScript: V8 never vectorizes JS, so the TS
 * kernels do one multiply-add per instruction; f64x2 does two, and linear
 * memory has no bounds check per load.
 */

import { mirrorUpper } from "./dense";
import { symmetricMatvecTriangle } from "./fused";

/** First free byte of linear memory: the loader places its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

// the dense kernels (dense.ts): U·Uᵀ, A·B, the mirror of a triangle, ‖a − b‖²
export { gram, gramUpper, matmul, mirrorUpper, sumSquaredDiff } from "./dense";

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** out[i] = alpha·(a[i] − b[i]) over the first len entries (out may be a or b). */
export function scaledDiff(alpha: f64, a: usize, b: usize, len: i32, out: usize): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const off = <usize>i << 3;
    v128.store(out + off, f64x2.mul(va, f64x2.sub(v128.load(a + off), v128.load(b + off))));
  }
  if (i < len) st(out, i, alpha * (ld(a, i) - ld(b, i)));
}

/**
 * Residuals and the weighted Gram matrix in one pass over the inputs (X n×d,
 * one sample per row): r_i = x_iᵀWx_i − y_i, G = Σ r_i x_i x_iᵀ (d×d, full
 * symmetric); returns Σ r_i². W symmetric, only its upper triangle is read.
 * Twin of quadratic.quadFormResidualGram, except that the scratch `t` is longer:
 * 2d² + d (quadScratchSize in the loader): d² (W folded to its upper triangle) + d² (a panel of
 * r_i·x_i) + d (the panel's residuals). Samples in panels of d; per panel the
 * quadratic forms, then the upper triangle of G. O(n·d²/2) + O(n·d²/2).
 */
export function quadFormResidualGram(X: usize, n: i32, d: i32, W: usize, y: usize, G: usize, t: usize): f64 {
  const V = t, Y = V + (<usize>(d * d) << 3), r = Y + (<usize>(d * d) << 3);
  foldUpper(W, d, V);
  memory.fill(G, 0, <usize>(d * d) << 3);
  let sse: f64 = 0;
  const rowB = <usize>d << 3;
  for (let i0 = 0; i0 < n; i0 += d) {
    const rows = i0 + d < n ? d : n - i0;
    const panel = X + <usize>i0 * rowB;
    quadForms(panel, rows, d, V, r);
    for (let s = 0; s < rows; s++) {
      const e = ld(r, s) - ld(y, i0 + s);
      sse += e * e;
      // the panel's rows scaled by their residuals: the left factor of Σ r_s x_s x_sᵀ
      const src = panel + <usize>s * rowB, dst = Y + <usize>s * rowB;
      const es = f64x2.splat(e);
      let a = 0;
      for (; a + 1 < d; a += 2) v128.store(dst + (<usize>a << 3), f64x2.mul(es, v128.load(src + (<usize>a << 3))));
      if (a < d) st(dst, a, e * ld(src, a));
    }
    weightedGramPanel(Y, panel, rows, d, G);
  }
  mirrorUpper(G, d);
  return sse;
}

/**
 * Σ_i (x_iᵀWx_i − y_i)² over the n rows of X, W symmetric (upper triangle read).
 * Twin of quadratic.quadFormSse, with scratch `t` of quadScratchSize(d). O(n·d²/2).
 */
export function quadFormSse(X: usize, n: i32, d: i32, W: usize, y: usize, t: usize): f64 {
  const V = t, r = V + (<usize>(2 * d * d) << 3);
  foldUpper(W, d, V);
  let sse: f64 = 0;
  const rowB = <usize>d << 3;
  for (let i0 = 0; i0 < n; i0 += d) {
    const rows = i0 + d < n ? d : n - i0;
    quadForms(X + <usize>i0 * rowB, rows, d, V, r);
    for (let s = 0; s < rows; s++) {
      const e = ld(r, s) - ld(y, i0 + s);
      sse += e * e;
    }
  }
  return sse;
}

/**
 * V = W folded onto its upper triangle: V_ab = 2W_ab (a < b), W_aa (a = b), 0
 * (a > b), so that xᵀWx = Σ_b x_b (Σ_{a≤b} x_a V_ab) reads W's upper triangle only.
 */
function foldUpper(W: usize, d: i32, V: usize): void {
  for (let a = 0; a < d; a++) {
    const wa = W + (<usize>(a * d) << 3), va = V + (<usize>(a * d) << 3);
    for (let b = 0; b < a; b++) st(va, b, 0);
    st(va, a, ld(wa, a));
    for (let b = a + 1; b < d; b++) st(va, b, 2 * ld(wa, b));
  }
}

/**
 * out[s] = x_sᵀWx_s = Σ_b x_sb (x_sᵀV)_b for the `rows` rows of the panel, V from
 * foldUpper. Shaped like matmul (panel·V): a tile of 2 samples × 8 columns b in
 * f64x2 accumulators over a ≤ b (V is zero below its diagonal), then dotted
 * with the samples' own entries b, so x_sᵀV is never stored. O(rows·d²/2).
 */
function quadForms(P: usize, rows: i32, d: i32, V: usize, out: usize): void {
  const rowB = <usize>d << 3;
  let s = 0;
  for (; s + 1 < rows; s += 2) {
    const x0 = P + <usize>s * rowB, x1 = x0 + rowB;
    let q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let j = 0;
    for (; j + 7 < d; j += 8) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
      let vp = V + (<usize>j << 3);
      const aEnd = j + 8;
      for (let a = 0; a < aEnd; a++) {
        const e0 = v128.load64_splat(x0 + (<usize>a << 3)), e1 = v128.load64_splat(x1 + (<usize>a << 3));
        const b0 = v128.load(vp), b1 = v128.load(vp, 16), b2 = v128.load(vp, 32), b3 = v128.load(vp, 48);
        c00 = f64x2.add(c00, f64x2.mul(e0, b0)); c01 = f64x2.add(c01, f64x2.mul(e0, b1));
        c02 = f64x2.add(c02, f64x2.mul(e0, b2)); c03 = f64x2.add(c03, f64x2.mul(e0, b3));
        c10 = f64x2.add(c10, f64x2.mul(e1, b0)); c11 = f64x2.add(c11, f64x2.mul(e1, b1));
        c12 = f64x2.add(c12, f64x2.mul(e1, b2)); c13 = f64x2.add(c13, f64x2.mul(e1, b3));
        vp += rowB;
      }
      const p0 = x0 + (<usize>j << 3), p1 = x1 + (<usize>j << 3);
      q0 = f64x2.add(q0, f64x2.add(
        f64x2.add(f64x2.mul(c00, v128.load(p0)), f64x2.mul(c01, v128.load(p0, 16))),
        f64x2.add(f64x2.mul(c02, v128.load(p0, 32)), f64x2.mul(c03, v128.load(p0, 48))),
      ));
      q1 = f64x2.add(q1, f64x2.add(
        f64x2.add(f64x2.mul(c10, v128.load(p1)), f64x2.mul(c11, v128.load(p1, 16))),
        f64x2.add(f64x2.mul(c12, v128.load(p1, 32)), f64x2.mul(c13, v128.load(p1, 48))),
      ));
    }
    for (; j + 1 < d; j += 2) {
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
      let vp = V + (<usize>j << 3);
      const aEnd = j + 2;
      for (let a = 0; a < aEnd; a++) {
        const b = v128.load(vp);
        c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(x0 + (<usize>a << 3)), b));
        c1 = f64x2.add(c1, f64x2.mul(v128.load64_splat(x1 + (<usize>a << 3)), b));
        vp += rowB;
      }
      q0 = f64x2.add(q0, f64x2.mul(c0, v128.load(x0 + (<usize>j << 3))));
      q1 = f64x2.add(q1, f64x2.mul(c1, v128.load(x1 + (<usize>j << 3))));
    }
    let t0 = hsum(q0), t1 = hsum(q1);
    if (j < d) {
      let c0: f64 = 0, c1: f64 = 0;
      let vp = V + (<usize>j << 3);
      for (let a = 0; a <= j; a++) {
        const v = load<f64>(vp);
        c0 += ld(x0, a) * v;
        c1 += ld(x1, a) * v;
        vp += rowB;
      }
      t0 += c0 * ld(x0, j);
      t1 += c1 * ld(x1, j);
    }
    st(out, s, t0);
    st(out, s + 1, t1);
  }
  if (s < rows) {
    // the last sample of an odd panel: Σ_b x_b Σ_{a≤b} x_a V_ab, row by row of V
    const x0 = P + <usize>s * rowB;
    let q: f64 = 0;
    for (let a = 0; a < d; a++) {
      const va = V + <usize>a * rowB;
      let c: f64 = 0;
      for (let b = a; b < d; b++) c += ld(va, b) * ld(x0, b);
      q += ld(x0, a) * c;
    }
    st(out, s, q);
  }
}

/**
 * Upper triangle of G (d×d) += Σ_s y_s x_sᵀ over the `rows` rows of the panel
 * (Y_s = r_s·x_s, so Σ r_s x_s x_sᵀ). A tile of 2 rows (a) × 8 columns (b) of G,
 * 8 f64x2 accumulators, over the rows: 2 splat loads and 4 vector loads per 8
 * vector multiply-adds. A tile on the diagonal also writes entries just below
 * it, which the caller's mirror overwrites. O(rows·d²/2).
 */
function weightedGramPanel(Y: usize, P: usize, rows: i32, d: i32, G: usize): void {
  const rowB = <usize>d << 3;
  const span = <usize>rows * rowB;
  let a = 0;
  for (; a + 1 < d; a += 2) {
    const g0 = G + <usize>a * rowB, g1 = g0 + rowB;
    const aOff = <usize>a << 3;
    const yStart = Y + aOff, yEnd = yStart + span;
    let b = a;
    for (; b + 7 < d; b += 8) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
      const bOff = <usize>b << 3;
      let xp = P + bOff;
      for (let yp = yStart; yp < yEnd; yp += rowB) {
        const e0 = v128.load64_splat(yp), e1 = v128.load64_splat(yp, 8);
        const b0 = v128.load(xp), b1 = v128.load(xp, 16), b2 = v128.load(xp, 32), b3 = v128.load(xp, 48);
        c00 = f64x2.add(c00, f64x2.mul(e0, b0)); c01 = f64x2.add(c01, f64x2.mul(e0, b1));
        c02 = f64x2.add(c02, f64x2.mul(e0, b2)); c03 = f64x2.add(c03, f64x2.mul(e0, b3));
        c10 = f64x2.add(c10, f64x2.mul(e1, b0)); c11 = f64x2.add(c11, f64x2.mul(e1, b1));
        c12 = f64x2.add(c12, f64x2.mul(e1, b2)); c13 = f64x2.add(c13, f64x2.mul(e1, b3));
        xp += rowB;
      }
      const p0 = g0 + bOff, p1 = g1 + bOff;
      v128.store(p0, f64x2.add(v128.load(p0), c00)); v128.store(p0, f64x2.add(v128.load(p0, 16), c01), 16);
      v128.store(p0, f64x2.add(v128.load(p0, 32), c02), 32); v128.store(p0, f64x2.add(v128.load(p0, 48), c03), 48);
      v128.store(p1, f64x2.add(v128.load(p1), c10)); v128.store(p1, f64x2.add(v128.load(p1, 16), c11), 16);
      v128.store(p1, f64x2.add(v128.load(p1, 32), c12), 32); v128.store(p1, f64x2.add(v128.load(p1, 48), c13), 48);
    }
    for (; b + 1 < d; b += 2) {
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
      const bOff = <usize>b << 3;
      let xp = P + bOff;
      for (let yp = yStart; yp < yEnd; yp += rowB) {
        const xb = v128.load(xp);
        c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(yp), xb));
        c1 = f64x2.add(c1, f64x2.mul(v128.load64_splat(yp, 8), xb));
        xp += rowB;
      }
      v128.store(g0 + bOff, f64x2.add(v128.load(g0 + bOff), c0));
      v128.store(g1 + bOff, f64x2.add(v128.load(g1 + bOff), c1));
    }
    if (b < d) {
      let s0: f64 = 0, s1: f64 = 0;
      let xp = P + (<usize>b << 3);
      for (let yp = yStart; yp < yEnd; yp += rowB) {
        const xb = load<f64>(xp);
        s0 += load<f64>(yp) * xb;
        s1 += load<f64>(yp, 8) * xb;
        xp += rowB;
      }
      st(g0, b, ld(g0, b) + s0);
      st(g1, b, ld(g1, b) + s1);
    }
  }
  if (a < d) {
    let s0: f64 = 0;
    const aOff = <usize>a << 3;
    let xp = P + aOff;
    for (let yp = Y + aOff, yEnd = Y + aOff + span; yp < yEnd; yp += rowB) {
      s0 += load<f64>(yp) * load<f64>(xp);
      xp += rowB;
    }
    st(G, a * d + a, ld(G, a * d + a) + s0);
  }
}

// ---------------------------------------------------------------------------
// Second moments H = Σ a_r a_rᵀ (a blocked SYRK) and the symmetric product H·x.
//
// The rows a_r (packed measurements, m entries) arrive a panel at a time and are
// repacked into strips of four columns, strip s holding (r, 4s..4s+3) for every
// row r of the panel contiguously (rows·4 doubles): a 4×4 tile of H then reads
// two strips front to back, 6 loads per 16 multiply-adds, with its 8 f64x2
// accumulators in registers over the whole panel. Columns past m are zero
// padding, so H is accumulated with the padded stride ldh = 4·strips and
// compacted to stride m at the end (syrkFinish).

/** Strips of four columns of an m-column panel. */
@inline function stripCount(m: i32): i32 {
  return (m + 3) >> 2;
}

/**
 * Repack `rows` rows of src (row-major, stride m) into the strips at P
 * (4·strips·rows doubles; columns ≥ m zero). O(rows·m).
 */
export function syrkPackRows(src: usize, rows: i32, m: i32, P: usize): void {
  const strips = stripCount(m);
  const stripB = <usize>rows << 5;
  const full = m >> 2;
  for (let s = 0; s < full; s++) {
    const out = P + <usize>s * stripB;
    const col = <usize>(s << 2) << 3;
    for (let r = 0; r < rows; r++) {
      const row = src + ((<usize>r * <usize>m) << 3) + col;
      const o = out + (<usize>r << 5);
      v128.store(o, v128.load(row));
      v128.store(o, v128.load(row, 16), 16);
    }
  }
  if (full < strips) {
    const out = P + <usize>full * stripB;
    const c0 = full << 2;
    for (let r = 0; r < rows; r++) {
      const row = src + ((<usize>r * <usize>m) << 3);
      const o = out + (<usize>r << 5);
      for (let j = 0; j < 4; j++) store<f64>(o + (<usize>j << 3), c0 + j < m ? ld(row, c0 + j) : 0.0);
    }
  }
}

/**
 * Write the packed rank-one rows a_r = pack(x_r x_rᵀ) (off-diagonals doubled, as
 * packed.packedOuter) of `rows` inputs X (row-major, stride d) straight into the
 * strips at P, never forming the rows: m = d(d+1)/2 columns. O(rows·m).
 */
export function syrkPackOuterRows(X: usize, rows: i32, d: i32, P: usize): void {
  const m = (d * (d + 1)) >> 1;
  const strips = stripCount(m);
  const stripB = <usize>rows << 5;
  for (let r = 0; r < rows; r++) {
    const x = X + ((<usize>r * <usize>d) << 3);
    const rowOff = <usize>r << 5;
    let p = 0;
    for (let a = 0; a < d; a++) {
      const xa = ld(x, a);
      store<f64>(P + <usize>(p >> 2) * stripB + rowOff + (<usize>(p & 3) << 3), xa * xa);
      p++;
      const twice = 2.0 * xa;
      for (let e = a + 1; e < d; e++) {
        store<f64>(P + <usize>(p >> 2) * stripB + rowOff + (<usize>(p & 3) << 3), twice * ld(x, e));
        p++;
      }
    }
    for (; p < strips << 2; p++) store<f64>(P + <usize>(p >> 2) * stripB + rowOff + (<usize>(p & 3) << 3), 0.0);
  }
}

/**
 * Upper triangle (by 4×4 tiles) of H += Σ_r a_r a_rᵀ over a repacked panel of
 * `rows` rows; H has stride ldh = 4·strips. Strips ps..pe of rows of H only, so
 * callers may split the work. Tiles on the diagonal are filled whole (their few
 * entries below the diagonal are overwritten by syrkFinish). O(rows·m²/2).
 */
export function syrkPanel(P: usize, rows: i32, strips: i32, H: usize, ps: i32, pe: i32): void {
  const stripB = <usize>rows << 5;
  const ldhB = <usize>strips << 5; // 4·strips doubles per row of H
  for (let s = ps; s < pe; s++) {
    const pa = P + <usize>s * stripB;
    const h0 = H + <usize>s * (ldhB << 2);
    for (let t = s; t < strips; t++) {
      const pb = P + <usize>t * stripB;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      const end = pa + stripB;
      let ia = pa, ib = pb;
      for (; ia < end; ia += 32, ib += 32) {
        const b0 = v128.load(ib), b1 = v128.load(ib, 16);
        const a0 = v128.load64_splat(ia), a1 = v128.load64_splat(ia, 8);
        c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
        c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
        const a2 = v128.load64_splat(ia, 16), a3 = v128.load64_splat(ia, 24);
        c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
        c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
      }
      const h = h0 + (<usize>t << 5);
      v128.store(h, f64x2.add(v128.load(h), c00)); v128.store(h, f64x2.add(v128.load(h, 16), c01), 16);
      const h1 = h + ldhB;
      v128.store(h1, f64x2.add(v128.load(h1), c10)); v128.store(h1, f64x2.add(v128.load(h1, 16), c11), 16);
      const h2 = h1 + ldhB;
      v128.store(h2, f64x2.add(v128.load(h2), c20)); v128.store(h2, f64x2.add(v128.load(h2, 16), c21), 16);
      const h3 = h2 + ldhB;
      v128.store(h3, f64x2.add(v128.load(h3), c30)); v128.store(h3, f64x2.add(v128.load(h3, 16), c31), 16);
    }
  }
}

/**
 * From the padded accumulation (stride ldh) to the full symmetric m×m H at the
 * same address (stride m), scaled: H_pq = scale·H_pq for q ≥ p, then mirrored.
 * In place: entry (p, q) moves from p·ldh + q to p·m + q, never past an unread one.
 */
export function syrkFinish(H: usize, m: i32, ldh: i32, scale: f64): void {
  for (let p = 0; p < m; p++) {
    const src = H + ((<usize>p * <usize>ldh) << 3), dst = H + ((<usize>p * <usize>m) << 3);
    for (let q = p; q < m; q++) st(dst, q, scale * ld(src, q));
  }
  mirrorUpper(H, m);
}

/**
 * out = H·x for a symmetric m×m H: fused.ts's symmetricMatvecTriangle (the upper
 * triangle read; each entry the chain of panelMatmul, so a run's H·x has the
 * same bits alone and in a batch). O(m²). Twin of packed.symmetricMatvec.
 */
export function symmetricMatvec(H: usize, m: i32, x: usize, out: usize): void {
  symmetricMatvecTriangle(H, m, x, out);
}

// ---------------------------------------------------------------------------
// Fourth moments of inputs, for the quadratic network's H = (1/n) Σ pack(x xᵀ) pack(x xᵀ)ᵀ:
// every entry is a weighted μ_abce = Σ_s x_a x_b x_c x_e, symmetric in its four
// indices, so only the C(d+3, 4) sorted ones are summed (a third of a SYRK's work).

/** Index of (a, b), a ≤ b, in the packed upper triangle of a d×d matrix. */
@inline function packedIndex(a: i32, b: i32, d: i32): i32 {
  return a * d - ((a * (a - 1)) >> 1) + (b - a);
}

/** Σ_s z[s]·t[s] over `rows` samples (two f64x2 chains; the last odd sample scalar). */
@inline function dotRows(z: usize, t: usize, rows: i32): f64 {
  let v0 = f64x2.splat(0);
  let s = 0;
  for (; s + 1 < rows; s += 2) {
    const off = <usize>s << 3;
    v0 = f64x2.add(v0, f64x2.mul(v128.load(z + off), v128.load(t + off)));
  }
  let r = hsum(v0);
  if (s < rows) r += ld(z, s) * ld(t, s);
  return r;
}

/**
 * Raw sums H[pk(a,b)·m + pk(c,e)] += Σ_s x_a x_b x_c x_e over one panel, for every
 * sorted a ≤ b ≤ c ≤ e. T is the panel transposed (d rows of `rows` samples), Z
 * scratch of (d + 1)·rows doubles. Twin of the panel loop of quadratic.quadraticMoments
 * (same sums, in f64x2 pairs of samples). Only the rows pk(a,b) in [p0, p1) of H,
 * so callers may split the work: each entry gets the same sums whatever the split. O(rows·d⁴/24).
 */
export function fourthMomentPanel(T: usize, rows: i32, d: i32, Z: usize, H: usize, p0: i32, p1: i32): void {
  const m = (d * (d + 1)) >> 1;
  const rowB = <usize>rows << 3;
  const zab = Z + <usize>d * rowB; // x_a∘x_b, after the d rows x_a∘x_b∘x_c
  for (let a = 0; a < d; a++) {
    const ta = T + <usize>a * rowB;
    for (let b = a; b < d; b++) {
      const pab = packedIndex(a, b, d);
      if (pab < p0) continue;
      if (pab >= p1) return;
      const tb = T + <usize>b * rowB;
      for (let s = 0; s < rows; s++) st(zab, s, ld(ta, s) * ld(tb, s));
      for (let c = b; c < d; c++) {
        const tc = T + <usize>c * rowB, zc = Z + <usize>c * rowB;
        for (let s = 0; s < rows; s++) st(zc, s, ld(zab, s) * ld(tc, s));
      }
      const hrow = H + ((<usize>packedIndex(a, b, d) * <usize>m) << 3);
      let c = b;
      for (; c + 1 < d; c += 2) {
        const z0 = Z + <usize>c * rowB, z1 = z0 + rowB;
        const h0 = hrow + (<usize>(packedIndex(c, c, d) - c) << 3), h1 = hrow + (<usize>(packedIndex(c + 1, c + 1, d) - (c + 1)) << 3);
        st(h0, c, ld(h0, c) + dotRows(z0, T + <usize>c * rowB, rows));
        let e = c + 1;
        for (; e + 3 < d; e += 4) {
          const t0 = T + <usize>e * rowB, t1 = t0 + rowB, t2 = t1 + rowB, t3 = t2 + rowB;
          let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0), s03 = f64x2.splat(0);
          let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0), s13 = f64x2.splat(0);
          let s = 0;
          for (; s + 1 < rows; s += 2) {
            const off = <usize>s << 3;
            const a0 = v128.load(z0 + off), a1 = v128.load(z1 + off);
            const b0 = v128.load(t0 + off), b1 = v128.load(t1 + off), b2 = v128.load(t2 + off), b3 = v128.load(t3 + off);
            s00 = f64x2.add(s00, f64x2.mul(a0, b0)); s01 = f64x2.add(s01, f64x2.mul(a0, b1));
            s02 = f64x2.add(s02, f64x2.mul(a0, b2)); s03 = f64x2.add(s03, f64x2.mul(a0, b3));
            s10 = f64x2.add(s10, f64x2.mul(a1, b0)); s11 = f64x2.add(s11, f64x2.mul(a1, b1));
            s12 = f64x2.add(s12, f64x2.mul(a1, b2)); s13 = f64x2.add(s13, f64x2.mul(a1, b3));
          }
          let u00 = hsum(s00), u01 = hsum(s01), u02 = hsum(s02), u03 = hsum(s03);
          let u10 = hsum(s10), u11 = hsum(s11), u12 = hsum(s12), u13 = hsum(s13);
          if (s < rows) {
            const a0 = ld(z0, s), a1 = ld(z1, s);
            const b0 = ld(t0, s), b1 = ld(t1, s), b2 = ld(t2, s), b3 = ld(t3, s);
            u00 += a0 * b0; u01 += a0 * b1; u02 += a0 * b2; u03 += a0 * b3;
            u10 += a1 * b0; u11 += a1 * b1; u12 += a1 * b2; u13 += a1 * b3;
          }
          st(h0, e, ld(h0, e) + u00); st(h0, e + 1, ld(h0, e + 1) + u01);
          st(h0, e + 2, ld(h0, e + 2) + u02); st(h0, e + 3, ld(h0, e + 3) + u03);
          st(h1, e, ld(h1, e) + u10); st(h1, e + 1, ld(h1, e + 1) + u11);
          st(h1, e + 2, ld(h1, e + 2) + u12); st(h1, e + 3, ld(h1, e + 3) + u13);
        }
        for (; e < d; e++) {
          const te = T + <usize>e * rowB;
          st(h0, e, ld(h0, e) + dotRows(z0, te, rows));
          st(h1, e, ld(h1, e) + dotRows(z1, te, rows));
        }
      }
      if (c < d) {
        const h0 = hrow + (<usize>packedIndex(c, c, d) << 3);
        store<f64>(h0, load<f64>(h0) + dotRows(Z + <usize>c * rowB, T + <usize>c * rowB, rows));
      }
    }
  }
}
export { normalFill } from "./normal";
export * from "./fused";
export * from "./rows";
export { reorthogonalize } from "./vectors";
