/**
 * Dense kernels shared by index.ts (which exports them) and fused.ts: U·Uᵀ, A·B,
 * the mirror of a triangle and ‖a − b‖², each the twin of its namesake in
 * src/linalg/dense.ts (see index.ts for the conventions: byte offsets, row-major
 * f64, results reproducible bit for bit).
 */

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Copy the upper triangle of the n×n matrix S onto its lower triangle, in 32×32
 * blocks (the transposed writes stay in cache). O(n²/2). Twin of dense.mirrorUpper.
 */
export function mirrorUpper(S: usize, n: i32): void {
  const B = 32;
  for (let a0 = 0; a0 < n; a0 += B) {
    const a1 = min(n, a0 + B);
    for (let b0 = a0; b0 < n; b0 += B) {
      const b1 = min(n, b0 + B);
      for (let a = a0; a < a1; a++) {
        const ra = S + (<usize>(a * n) << 3);
        for (let b = b0 > a ? b0 : a + 1; b < b1; b++) st(S, b * n + a, ld(ra, b));
      }
    }
  }
}

/**
 * ‖a − b‖² over the first len entries. Twin of dense.sumSquaredDiff, with the same
 * four partial sums (entry i goes to sum i mod 4) added in the same order, so the
 * result is bit-identical to the twin's.
 */
export function sumSquaredDiff(a: usize, b: usize, len: i32): f64 {
  let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const off = <usize>i << 3;
    const t01 = f64x2.sub(v128.load(a + off), v128.load(b + off));
    const t23 = f64x2.sub(v128.load(a + off, 16), v128.load(b + off, 16));
    s01 = f64x2.add(s01, f64x2.mul(t01, t01));
    s23 = f64x2.add(s23, f64x2.mul(t23, t23));
  }
  let s0 = f64x2.extract_lane(s01, 0);
  for (; i < len; i++) {
    const t = ld(a, i) - ld(b, i);
    s0 += t * t;
  }
  return s0 + f64x2.extract_lane(s01, 1) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
}

/**
 * out = U·Uᵀ, U d×k, out d×d full symmetric. Twin of dense.gram. O(d²·k/2): a
 * 2×4 tile of out on or above the diagonal holds 8 f64x2 accumulators over c
 * (rows of U are contiguous in c), then the upper triangle is mirrored.
 */
export function gram(U: usize, d: i32, k: i32, out: usize): void {
  gramUpper(U, d, k, out);
  mirrorUpper(out, d);
}

/** The upper triangle (diagonal included) of out = U·Uᵀ, as gram computes it; the lower one is left alone. */
export function gramUpper(U: usize, d: i32, k: i32, out: usize): void {
  const rowB = <usize>k << 3;
  let i = 0;
  for (; i + 1 < d; i += 2) {
    const r0 = U + <usize>i * rowB, r1 = r0 + rowB;
    let j = i;
    for (; j + 3 < d; j += 4) {
      const q0 = U + <usize>j * rowB, q1 = q0 + rowB, q2 = q1 + rowB, q3 = q2 + rowB;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0), s03 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0), s13 = f64x2.splat(0);
      let c = 0;
      for (; c + 1 < k; c += 2) {
        const off = <usize>c << 3;
        const a0 = v128.load(r0 + off), a1 = v128.load(r1 + off);
        const b0 = v128.load(q0 + off), b1 = v128.load(q1 + off), b2 = v128.load(q2 + off), b3 = v128.load(q3 + off);
        s00 = f64x2.add(s00, f64x2.mul(a0, b0)); s01 = f64x2.add(s01, f64x2.mul(a0, b1));
        s02 = f64x2.add(s02, f64x2.mul(a0, b2)); s03 = f64x2.add(s03, f64x2.mul(a0, b3));
        s10 = f64x2.add(s10, f64x2.mul(a1, b0)); s11 = f64x2.add(s11, f64x2.mul(a1, b1));
        s12 = f64x2.add(s12, f64x2.mul(a1, b2)); s13 = f64x2.add(s13, f64x2.mul(a1, b3));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t03 = hsum(s03);
      let t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12), t13 = hsum(s13);
      if (c < k) {
        const a0 = ld(r0, c), a1 = ld(r1, c);
        const b0 = ld(q0, c), b1 = ld(q1, c), b2 = ld(q2, c), b3 = ld(q3, c);
        t00 += a0 * b0; t01 += a0 * b1; t02 += a0 * b2; t03 += a0 * b3;
        t10 += a1 * b0; t11 += a1 * b1; t12 += a1 * b2; t13 += a1 * b3;
      }
      const o0 = out + (<usize>(i * d + j) << 3), o1 = o0 + (<usize>d << 3);
      st(o0, 0, t00); st(o0, 1, t01); st(o0, 2, t02); st(o0, 3, t03);
      st(o1, 0, t10); st(o1, 1, t11); st(o1, 2, t12); st(o1, 3, t13);
    }
    for (; j < d; j++) {
      const q0 = U + <usize>j * rowB;
      let s0: f64 = 0, s1: f64 = 0;
      for (let c = 0; c < k; c++) {
        const b = ld(q0, c);
        s0 += ld(r0, c) * b;
        s1 += ld(r1, c) * b;
      }
      st(out, i * d + j, s0);
      st(out, (i + 1) * d + j, s1);
    }
  }
  if (i < d) {
    // the last row of an odd d: only its diagonal entry is on or above the diagonal
    const r0 = U + <usize>i * rowB;
    let s: f64 = 0;
    for (let c = 0; c < k; c++) {
      const v = ld(r0, c);
      s += v * v;
    }
    st(out, i * d + i, s);
  }
}

/**
 * out = A·B, A p×q, B q×s, all row-major. Twin of dense.matmul. O(p·q·s): a tile
 * of 2 rows × 8 columns of out (8 f64x2 accumulators) over l; each step loads
 * two entries of A (splatted) and four vectors of a row of B. The columns are
 * taken in panels of 8 with every row pair inside, so a panel of B is read
 * from L1 p/2 times instead of all of B from L3 (1.2× faster at 200×200·400).
 */
export function matmul(A: usize, p: i32, q: i32, B: usize, s: i32, out: usize): void {
  const bStep = <usize>s << 3;
  const s8 = s & ~7;
  // columns [0, s8) panel by panel, all row pairs per panel: the q×8 panel of B stays in L1
  for (let j = 0; j < s8; j += 8) {
    for (let i = 0; i + 1 < p; i += 2) {
      const a0 = A + (<usize>(i * q) << 3), a1 = a0 + (<usize>q << 3);
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
      let bp = B + (<usize>j << 3);
      for (let l = 0; l < q; l++) {
        const x0 = v128.load64_splat(a0 + (<usize>l << 3)), x1 = v128.load64_splat(a1 + (<usize>l << 3));
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
        c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
        c02 = f64x2.add(c02, f64x2.mul(x0, b2)); c03 = f64x2.add(c03, f64x2.mul(x0, b3));
        c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
        c12 = f64x2.add(c12, f64x2.mul(x1, b2)); c13 = f64x2.add(c13, f64x2.mul(x1, b3));
        bp += bStep;
      }
      const p0 = out + (<usize>(i * s + j) << 3), p1 = p0 + bStep;
      v128.store(p0, c00); v128.store(p0, c01, 16); v128.store(p0, c02, 32); v128.store(p0, c03, 48);
      v128.store(p1, c10); v128.store(p1, c11, 16); v128.store(p1, c12, 32); v128.store(p1, c13, 48);
    }
  }
  // the remaining s − s8 columns of each row pair
  let i = 0;
  for (; i + 1 < p; i += 2) {
    const a0 = A + (<usize>(i * q) << 3), a1 = a0 + (<usize>q << 3);
    const o0 = out + (<usize>(i * s) << 3), o1 = o0 + bStep;
    let j = s8;
    for (; j + 1 < s; j += 2) {
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
      let bp = B + (<usize>j << 3);
      for (let l = 0; l < q; l++) {
        const b = v128.load(bp);
        c0 = f64x2.add(c0, f64x2.mul(f64x2.splat(ld(a0, l)), b));
        c1 = f64x2.add(c1, f64x2.mul(f64x2.splat(ld(a1, l)), b));
        bp += bStep;
      }
      v128.store(o0 + (<usize>j << 3), c0);
      v128.store(o1 + (<usize>j << 3), c1);
    }
    if (j < s) {
      let s0: f64 = 0, s1: f64 = 0;
      let bp = B + (<usize>j << 3);
      for (let l = 0; l < q; l++) {
        const b = load<f64>(bp);
        s0 += ld(a0, l) * b;
        s1 += ld(a1, l) * b;
        bp += bStep;
      }
      st(o0, j, s0);
      st(o1, j, s1);
    }
  }
  if (i < p) {
    // last row of an odd p: two columns of out per vector
    const a0 = A + (<usize>(i * q) << 3), o0 = out + (<usize>(i * s) << 3);
    let j = 0;
    for (; j + 1 < s; j += 2) {
      let c0 = f64x2.splat(0);
      let bp = B + (<usize>j << 3);
      for (let l = 0; l < q; l++) {
        c0 = f64x2.add(c0, f64x2.mul(f64x2.splat(ld(a0, l)), v128.load(bp)));
        bp += bStep;
      }
      v128.store(o0 + (<usize>j << 3), c0);
    }
    if (j < s) {
      let t: f64 = 0;
      let bp = B + (<usize>j << 3);
      for (let l = 0; l < q; l++) {
        t += ld(a0, l) * load<f64>(bp);
        bp += bStep;
      }
      st(o0, j, t);
    }
  }
}
