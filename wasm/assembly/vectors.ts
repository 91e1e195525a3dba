/**
 * Vector kernels of the fused step and of Lanczos (src/pipeline/curvature.ts), each
 * entry's operations those of its TypeScript twin in src/linalg/dense.ts (dot, axpy),
 * so results are bit-identical to it.
 */

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Σ a_i·b_i in dense.ts's dot4 order: four partial sums (entry i to sum i mod 4, held
 * as the lanes of two f64x2), the tail into the first, then s0 + s1 + (s2 + s3).
 */
export function dot4(a: usize, b: usize, len: i32): f64 {
  let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const off = <usize>i << 3;
    s01 = f64x2.add(s01, f64x2.mul(v128.load(a + off), v128.load(b + off)));
    s23 = f64x2.add(s23, f64x2.mul(v128.load(a + off, 16), v128.load(b + off, 16)));
  }
  let s0 = f64x2.extract_lane(s01, 0);
  for (; i < len; i++) s0 += ld(a, i) * ld(b, i);
  return s0 + f64x2.extract_lane(s01, 1) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
}

/** y[i] += alpha·x[i] over len entries (f64x2: each entry the same operations). */
export function axpy(alpha: f64, x: usize, y: usize, len: i32): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const off = <usize>i << 3;
    v128.store(y + off, f64x2.add(v128.load(y + off), f64x2.mul(va, v128.load(x + off))));
  }
  if (i < len) st(y, i, ld(y, i) + alpha * ld(x, i));
}

/** x[i] = alpha·x[i] over len entries. */
export function scale(alpha: f64, x: usize, len: i32): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const off = <usize>i << 3;
    v128.store(x + off, f64x2.mul(va, v128.load(x + off)));
  }
  if (i < len) st(x, i, alpha * ld(x, i));
}

/**
 * Full reorthogonalization of Lanczos, twice: for pass 1, 2 and each of the `count`
 * vectors p of Q (rows of len doubles, in order), w −= (p·w)·p. dense.ts's
 * axpy(−dot(p, w), p, w), vector after vector, so the same bits as that loop.
 */
export function reorthogonalize(Q: usize, count: i32, w: usize, len: i32): void {
  const rowB = <usize>len << 3;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < count; j++) {
      const p = Q + <usize>j * rowB;
      axpy(-dot4(p, w, len), p, w, len);
    }
  }
}
