/**
 * Dense kernels on flat row-major Float64Arrays with explicit sizes.
 *
 * Every kernel writes into a caller-provided `out` and returns it, so hot loops
 * allocate nothing. None of them checks its arguments: callers size buffers once
 * per run. This module knows nothing of the rest of the project.
 *
 * Why the loops look the way they do: V8 emits one scalar multiply and one add
 * per multiply-add plus a bounds check per typed-array load, so a plain dot
 * product (two loads per multiply-add) runs at about half the speed of a kernel
 * that keeps a small tile of outputs in registers and reuses every load. The
 * matrix products below hold a 2×4 tile of outputs (8 accumulators, 6 loads per
 * 8 multiply-adds); bigger tiles spill registers and measured no faster.
 */

/**
 * Gram matrix of the rows: out = U·Uᵀ, U is d×k, out is d×d (full, symmetric).
 * O(d²·k/2): only tiles on or above the diagonal are computed, then mirrored.
 * @example gram(U, 3, 2, new Float64Array(9))
 */
export function gram(U: Float64Array, d: number, k: number, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 1 < d; i += 2) {
    const r0 = i * k, r1 = r0 + k;
    const o0 = i * d, o1 = o0 + d;
    let j = i;
    // 2×4 tile of out: rows i, i+1 of U against rows j..j+3, all contiguous in c
    for (; j + 3 < d; j += 4) {
      const q0 = j * k, q1 = q0 + k, q2 = q1 + k, q3 = q2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let c = 0; c < k; c++) {
        const a0 = U[r0 + c], a1 = U[r1 + c];
        const b0 = U[q0 + c], b1 = U[q1 + c], b2 = U[q2 + c], b3 = U[q3 + c];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
      }
      out[o0 + j] = s00; out[o0 + j + 1] = s01; out[o0 + j + 2] = s02; out[o0 + j + 3] = s03;
      out[o1 + j] = s10; out[o1 + j + 1] = s11; out[o1 + j + 2] = s12; out[o1 + j + 3] = s13;
    }
    for (; j < d; j++) {
      const q0 = j * k;
      let s0 = 0, s1 = 0;
      for (let c = 0; c < k; c++) {
        const b = U[q0 + c];
        s0 += U[r0 + c] * b;
        s1 += U[r1 + c] * b;
      }
      out[o0 + j] = s0;
      out[o1 + j] = s1;
    }
  }
  if (i < d) {
    // the last row of an odd d: only its diagonal entry is on or above the diagonal
    const r0 = i * k;
    out[i * d + i] = dot4(U, r0, U, r0, k);
  }
  mirrorUpper(out, d);
  return out;
}

/** Copy the upper triangle of the n×n matrix S onto its lower triangle, in 32×32 blocks (the transposed writes stay in cache). O(n²/2). */
export function mirrorUpper(S: Float64Array, n: number): Float64Array {
  const B = 32;
  for (let a0 = 0; a0 < n; a0 += B) {
    const a1 = Math.min(n, a0 + B);
    for (let b0 = a0; b0 < n; b0 += B) {
      const b1 = Math.min(n, b0 + B);
      for (let a = a0; a < a1; a++) {
        const ra = a * n;
        for (let b = b0 > a ? b0 : a + 1; b < b1; b++) S[b * n + a] = S[ra + b];
      }
    }
  }
  return S;
}

/** Σ_c x[xo + c]·y[yo + c] over len entries, four independent add chains. */
function dot4(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let c = 0;
  for (; c + 3 < len; c += 4) {
    s0 += x[xo + c] * y[yo + c];
    s1 += x[xo + c + 1] * y[yo + c + 1];
    s2 += x[xo + c + 2] * y[yo + c + 2];
    s3 += x[xo + c + 3] * y[yo + c + 3];
  }
  for (; c < len; c++) s0 += x[xo + c] * y[yo + c];
  return s0 + s1 + (s2 + s3);
}

/**
 * out = A·B with A (p×q) and B (q×s), all row-major. O(p·q·s): a 2×4 tile of out
 * is accumulated in registers over l (two rows of A, four columns of B).
 */
export function matmul(A: Float64Array, p: number, q: number, B: Float64Array, s: number, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 1 < p; i += 2) {
    const a0 = i * q, a1 = a0 + q;
    const o0 = i * s, o1 = o0 + s;
    let j = 0;
    for (; j + 3 < s; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let l = 0, bl = j; l < q; l++, bl += s) {
        const x0 = A[a0 + l], x1 = A[a1 + l];
        const b0 = B[bl], b1 = B[bl + 1], b2 = B[bl + 2], b3 = B[bl + 3];
        s00 += x0 * b0; s01 += x0 * b1; s02 += x0 * b2; s03 += x0 * b3;
        s10 += x1 * b0; s11 += x1 * b1; s12 += x1 * b2; s13 += x1 * b3;
      }
      out[o0 + j] = s00; out[o0 + j + 1] = s01; out[o0 + j + 2] = s02; out[o0 + j + 3] = s03;
      out[o1 + j] = s10; out[o1 + j + 1] = s11; out[o1 + j + 2] = s12; out[o1 + j + 3] = s13;
    }
    for (; j < s; j++) {
      let s0 = 0, s1 = 0;
      for (let l = 0, bl = j; l < q; l++, bl += s) {
        const b = B[bl];
        s0 += A[a0 + l] * b;
        s1 += A[a1 + l] * b;
      }
      out[o0 + j] = s0;
      out[o1 + j] = s1;
    }
  }
  if (i < p) {
    // last row of an odd p: one row of A against four columns of B
    const a0 = i * q, o0 = i * s;
    let j = 0;
    for (; j + 3 < s; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let l = 0, bl = j; l < q; l++, bl += s) {
        const x = A[a0 + l];
        s0 += x * B[bl]; s1 += x * B[bl + 1]; s2 += x * B[bl + 2]; s3 += x * B[bl + 3];
      }
      out[o0 + j] = s0; out[o0 + j + 1] = s1; out[o0 + j + 2] = s2; out[o0 + j + 3] = s3;
    }
    for (; j < s; j++) {
      let t = 0;
      for (let l = 0, bl = j; l < q; l++, bl += s) t += A[a0 + l] * B[bl];
      out[o0 + j] = t;
    }
  }
  return out;
}

/** Rows of A and B per pass of matmulTransA: both panels stay in L2 while their tiles are swept. */
const TRANS_A_PANEL = 128;

/**
 * out = Aᵀ·B with A (p×q) and B (p×s): out is q×s. O(p·q·s). The rows are taken in
 * panels of TRANS_A_PANEL; within a panel a 2×4 tile of out is accumulated over
 * the panel's rows (two entries of a row of A, four of the row of B).
 */
export function matmulTransA(A: Float64Array, p: number, q: number, B: Float64Array, s: number, out: Float64Array): Float64Array {
  out.fill(0, 0, q * s);
  for (let i0 = 0; i0 < p; i0 += TRANS_A_PANEL) {
    const i1 = i0 + TRANS_A_PANEL < p ? i0 + TRANS_A_PANEL : p;
    const aEnd = i1 * q;
    let l = 0;
    for (; l + 1 < q; l += 2) {
      const o0 = l * s, o1 = o0 + s;
      let j = 0;
      for (; j + 3 < s; j += 4) {
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let ai = i0 * q + l, bi = i0 * s + j; ai < aEnd; ai += q, bi += s) {
          const x0 = A[ai], x1 = A[ai + 1];
          const b0 = B[bi], b1 = B[bi + 1], b2 = B[bi + 2], b3 = B[bi + 3];
          s00 += x0 * b0; s01 += x0 * b1; s02 += x0 * b2; s03 += x0 * b3;
          s10 += x1 * b0; s11 += x1 * b1; s12 += x1 * b2; s13 += x1 * b3;
        }
        out[o0 + j] += s00; out[o0 + j + 1] += s01; out[o0 + j + 2] += s02; out[o0 + j + 3] += s03;
        out[o1 + j] += s10; out[o1 + j + 1] += s11; out[o1 + j + 2] += s12; out[o1 + j + 3] += s13;
      }
      for (; j < s; j++) {
        let s0 = 0, s1 = 0;
        for (let ai = i0 * q + l, bi = i0 * s + j; ai < aEnd; ai += q, bi += s) {
          const b = B[bi];
          s0 += A[ai] * b;
          s1 += A[ai + 1] * b;
        }
        out[o0 + j] += s0;
        out[o1 + j] += s1;
      }
    }
    if (l < q) {
      const o0 = l * s;
      for (let j = 0; j < s; j++) {
        let t = 0;
        for (let ai = i0 * q + l, bi = i0 * s + j; ai < aEnd; ai += q, bi += s) t += A[ai] * B[bi];
        out[o0 + j] += t;
      }
    }
  }
  return out;
}

/** Squared Frobenius norm of the first `len` entries. */
export function sumSquares(a: Float64Array, len: number = a.length): number {
  return dot4(a, 0, a, 0, len);
}

/** Squared Frobenius distance ‖a − b‖² over the first `len` entries. */
export function sumSquaredDiff(a: Float64Array, b: Float64Array, len: number = a.length): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const t0 = a[i] - b[i], t1 = a[i + 1] - b[i + 1], t2 = a[i + 2] - b[i + 2], t3 = a[i + 3] - b[i + 3];
    s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3;
  }
  for (; i < len; i++) {
    const t = a[i] - b[i];
    s0 += t * t;
  }
  return s0 + s1 + (s2 + s3);
}

/** Dot product of the first `len` entries. */
export function dot(a: Float64Array, b: Float64Array, len: number = a.length): number {
  return dot4(a, 0, b, 0, len);
}

/** y += alpha·x over the first `len` entries (BLAS axpy). */
export function axpy(alpha: number, x: Float64Array, y: Float64Array, len: number = x.length): Float64Array {
  for (let i = 0; i < len; i++) y[i] += alpha * x[i];
  return y;
}

/** Squared l2 norm of each column of U (d×k) into out (length k). O(d·k), row by row (contiguous). */
export function columnSquaredNorms(U: Float64Array, d: number, k: number, out: Float64Array): Float64Array {
  out.fill(0, 0, k);
  let i = 0;
  // four rows per sweep over out: a quarter of the loads and stores of out[j]
  for (; i + 3 < d; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (let j = 0; j < k; j++) {
      const a = U[r0 + j], b = U[r1 + j], c = U[r2 + j], e = U[r3 + j];
      out[j] += a * a + b * b + (c * c + e * e);
    }
  }
  for (; i < d; i++) {
    const ri = i * k;
    for (let j = 0; j < k; j++) out[j] += U[ri + j] * U[ri + j];
  }
  return out;
}

/** Copy the listed columns of U (d×k) into out (d×cols.length), in the given order. */
export function selectColumns(U: Float64Array, d: number, k: number, cols: ArrayLike<number>, out: Float64Array): Float64Array {
  const kk = cols.length;
  for (let i = 0; i < d; i++) {
    for (let c = 0; c < kk; c++) out[i * kk + c] = U[i * k + cols[c]];
  }
  return out;
}

/** dst[0..len) = src[0..len), without the view object that `dst.set(src.subarray(0, len))` allocates. */
export function copyPrefix(src: Float64Array, dst: Float64Array, len: number): Float64Array {
  for (let i = 0; i < len; i++) dst[i] = src[i];
  return dst;
}
