/**
 * Loss over packed rows (src/linalg/packed.ts's layout: a_i packed, off-diagonals
 * doubled): the direct loss a log row needs when the moments' value is not
 * accurate enough, and the test loss, in f64x2 SIMD.
 */

/**
 * out_b = Σ_i (a_iᵀx_b − y_i)² for B vectors x_b (X holds them one after another, m
 * each) over the n rows of A (n×m, row-major). Four rows at a time, each dot in two
 * lanes (even and odd j) added at the end; every block of four rows of A is read from
 * memory once for all B (the logged losses of many steps: A is read from L3 or memory,
 * the vectors from L1), and each vector's sum does not depend on B. O(B·n·m).
 */
export function packedResidualSseMany(A: usize, n: i32, m: i32, X: usize, B: i32, y: usize, out: usize): void {
  const rowB = <usize>m << 3;
  for (let b = 0; b < B; b++) store<f64>(out + (<usize>b << 3), 0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0 = A + <usize>i * rowB, a1 = a0 + rowB, a2 = a1 + rowB, a3 = a2 + rowB;
    const yi = y + (<usize>i << 3);
    for (let b = 0; b < B; b++) {
      const x = X + <usize>b * rowB;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      let j = 0;
      for (; j + 1 < m; j += 2) {
        const off = <usize>j << 3;
        const xj = v128.load(x + off);
        s0 = f64x2.add(s0, f64x2.mul(v128.load(a0 + off), xj));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(a1 + off), xj));
        s2 = f64x2.add(s2, f64x2.mul(v128.load(a2 + off), xj));
        s3 = f64x2.add(s3, f64x2.mul(v128.load(a3 + off), xj));
      }
      let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
      let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
      let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
      if (j < m) {
        const off = <usize>j << 3;
        const xj = load<f64>(x + off);
        t0 += load<f64>(a0 + off) * xj; t1 += load<f64>(a1 + off) * xj;
        t2 += load<f64>(a2 + off) * xj; t3 += load<f64>(a3 + off) * xj;
      }
      const r0 = t0 - load<f64>(yi), r1 = t1 - load<f64>(yi, 8), r2 = t2 - load<f64>(yi, 16), r3 = t3 - load<f64>(yi, 24);
      const o = out + (<usize>b << 3);
      store<f64>(o, load<f64>(o) + (r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3)));
    }
  }
  for (; i < n; i++) {
    const a = A + <usize>i * rowB;
    for (let b = 0; b < B; b++) {
      const x = X + <usize>b * rowB;
      let s = f64x2.splat(0);
      let j = 0;
      for (; j + 1 < m; j += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + (<usize>j << 3)), v128.load(x + (<usize>j << 3))));
      let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      if (j < m) t += load<f64>(a + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
      const r = t - load<f64>(y + (<usize>i << 3));
      const o = out + (<usize>b << 3);
      store<f64>(o, load<f64>(o) + r * r);
    }
  }
}
