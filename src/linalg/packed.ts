/**
 * Packed storage of symmetric d×d matrices: the upper triangle row by row,
 * m = d(d+1)/2 entries, entry (i, j≥i) at index i·d − i(i−1)/2 + (j − i).
 *
 * Sensing matrices are stored packed with their off-diagonal entries doubled,
 * so that ⟨A, X⟩ = Σ_{i,j} A_ij X_ij = aᵀx when x is X packed plainly: the
 * factor 2 of the two mirrored terms is folded into the data once, not into
 * every step.
 *
 * Loops over the n×m data take four rows at a time: each x_j is loaded once for
 * four rows (5 loads per 4 multiply-adds instead of 8), which is what bounds a
 * V8 loop (see dense.ts).
 */
import { mirrorUpper } from "./dense.js";

/** Number of packed entries of a symmetric d×d matrix. */
export function packedSize(d: number): number {
  return (d * (d + 1)) / 2;
}

/** Pack the upper triangle of a full symmetric X (d×d) into x (length m). O(d²). */
export function packSymmetric(X: Float64Array, d: number, x: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) x[p++] = X[i * d + j];
  }
  return x;
}

/**
 * Unpack g (packed, off-diagonals doubled as in a sensing matrix) into the full
 * symmetric G (d×d) with G_ij = g_ij / 2 off the diagonal and G_ii = g_ii:
 * the inverse of the doubling, so Σ w_i a_i unpacks to Σ w_i A_i.
 */
export function unpackDoubled(g: Float64Array, d: number, G: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    G[ri + i] = g[p++];
    for (let j = i + 1; j < d; j++) G[ri + j] = 0.5 * g[p++];
  }
  return mirrorUpper(G, d);
}

/**
 * out_i = a_iᵀx for the n packed rows of A (n×m): one pass over the data, O(n·m).
 */
export function packedRowDots(A: Float64Array, n: number, m: number, x: Float64Array, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < m; j++) {
      const xj = x[j];
      s0 += A[o0 + j] * xj; s1 += A[o1 + j] * xj; s2 += A[o2 + j] * xj; s3 += A[o3 + j] * xj;
    }
    out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3;
  }
  for (; i < n; i++) out[i] = rowDot(A, i * m, x, m);
  return out;
}

/** a·x for the row a = A[o..o+m), four add chains. */
function rowDot(A: Float64Array, o: number, x: Float64Array, m: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    s0 += A[o + j] * x[j];
    s1 += A[o + j + 1] * x[j + 1];
    s2 += A[o + j + 2] * x[j + 2];
    s3 += A[o + j + 3] * x[j + 3];
  }
  for (; j < m; j++) s0 += A[o + j] * x[j];
  return s0 + s1 + (s2 + s3);
}

/**
 * Σ_i (a_iᵀx − y_i)² over the n packed rows of A (n×m), nothing else: the direct
 * loss for logging, O(n·m), half the work of packedResidualAccumulate.
 */
export function packedResidualSse(A: Float64Array, n: number, m: number, x: Float64Array, y: Float64Array): number {
  return packedResidualSseMany(A, n, m, x, 1, y, oneSse)[0];
}
const oneSse = new Float64Array(1);

/**
 * out_b = Σ_i (a_iᵀx_b − y_i)² for B vectors x_b (X holds them one after another, m each):
 * packedResidualSse of each, with its bits, every block of four rows of A read once for all B.
 */
export function packedResidualSseMany(A: Float64Array, n: number, m: number, X: Float64Array, B: number, y: Float64Array, out: Float64Array): Float64Array {
  out.fill(0, 0, B);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    for (let b = 0; b < B; b++) {
      const xo = b * m;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < m; j++) {
        const xj = X[xo + j];
        s0 += A[o0 + j] * xj; s1 += A[o1 + j] * xj; s2 += A[o2 + j] * xj; s3 += A[o3 + j] * xj;
      }
      const r0 = s0 - y[i], r1 = s1 - y[i + 1], r2 = s2 - y[i + 2], r3 = s3 - y[i + 3];
      out[b] += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3);
    }
  }
  for (; i < n; i++) {
    for (let b = 0; b < B; b++) {
      const r = rowDot(A, i * m, X.subarray(b * m, (b + 1) * m), m) - y[i];
      out[b] += r * r;
    }
  }
  return out;
}

/**
 * Fused residual and accumulation over packed rows: r_i = a_iᵀx − y_i, g = Σ r_i a_i,
 * returns Σ r_i². One pass over A, four rows at a time (their dots, then g += Σ r a
 * while the rows are hot in cache): O(2·n·m).
 */
export function packedResidualAccumulate(
  A: Float64Array, n: number, m: number, x: Float64Array, y: Float64Array, g: Float64Array,
): number {
  g.fill(0, 0, m);
  let sse = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < m; j++) {
      const xj = x[j];
      s0 += A[o0 + j] * xj; s1 += A[o1 + j] * xj; s2 += A[o2 + j] * xj; s3 += A[o3 + j] * xj;
    }
    const r0 = s0 - y[i], r1 = s1 - y[i + 1], r2 = s2 - y[i + 2], r3 = s3 - y[i + 3];
    sse += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3);
    for (let j = 0; j < m; j++) g[j] += r0 * A[o0 + j] + r1 * A[o1 + j] + (r2 * A[o2 + j] + r3 * A[o3 + j]);
  }
  for (; i < n; i++) {
    const o = i * m;
    const r = rowDot(A, o, x, m) - y[i];
    sse += r * r;
    for (let j = 0; j < m; j++) g[j] += r * A[o + j];
  }
  return sse;
}

/** Rows per pass of packedMoments: a panel of 64 rows (≤ 0.7 MB at m = 1275) stays in L2 while H is swept once. */
const MOMENT_PANEL = 64;

/**
 * Second moments of packed rows: H = (1/n)·AᵀA (m×m, full symmetric),
 * b = (1/n)·Aᵀy and returns c = (1/n)·yᵀy. O(n·m²/2), done once per data set:
 * afterwards every step of a loss quadratic in X costs O(m²) instead of O(n·m).
 *
 * Blocked: the rows are taken in panels of MOMENT_PANEL and each 2×4 tile of
 * H's upper triangle is accumulated in registers over the panel's rows, so H is
 * read and written once per panel instead of once per row.
 */
export function packedMoments(
  A: Float64Array, n: number, m: number, y: Float64Array, H: Float64Array, b: Float64Array,
): number {
  H.fill(0, 0, m * m);
  for (let i0 = 0; i0 < n; i0 += MOMENT_PANEL) {
    accumulateMomentPanel(A, i0 * m, (i0 + MOMENT_PANEL < n ? i0 + MOMENT_PANEL : n) - i0, m, H);
  }
  const inv = 1 / n;
  for (let p = 0; p < m; p++) {
    const hp = p * m;
    for (let q = p; q < m; q++) H[hp + q] *= inv;
  }
  mirrorUpper(H, m);
  return packedLinearMoments(A, n, m, y, b);
}

/** b = (1/n)·Aᵀy over the n packed rows of A (n×m), and returns c = (1/n)·yᵀy. O(n·m). */
export function packedLinearMoments(A: Float64Array, n: number, m: number, y: Float64Array, b: Float64Array): number {
  b.fill(0, 0, m);
  let c = 0;
  for (let i = 0; i < n; i++) c += y[i] * y[i];
  accumulateRows(A, n, m, y, b);
  const inv = 1 / n;
  for (let p = 0; p < m; p++) b[p] *= inv;
  return c / n;
}

/** b += Σ_i y_i a_i over the n rows of A (n×m), four rows at a time. O(n·m). */
function accumulateRows(A: Float64Array, n: number, m: number, y: Float64Array, b: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    const y0 = y[i], y1 = y[i + 1], y2 = y[i + 2], y3 = y[i + 3];
    for (let p = 0; p < m; p++) b[p] += y0 * A[o0 + p] + y1 * A[o1 + p] + (y2 * A[o2 + p] + y3 * A[o3 + p]);
  }
  for (; i < n; i++) {
    const o = i * m, yi = y[i];
    for (let p = 0; p < m; p++) b[p] += yi * A[o + p];
  }
}

/**
 * Upper triangle of H (m×m) += Σ a aᵀ over the `rows` rows a = src[o + r·m ..) (row-major,
 * stride m). Tiles of 2×4 entries of H sit in registers over the rows; a tile
 * straddling the diagonal also writes a few entries below it, which
 * finishMoments overwrites. O(rows·m²/2).
 */
export function accumulateMomentPanel(src: Float64Array, o: number, rows: number, m: number, H: Float64Array): void {
  const end = o + rows * m;
  let p = 0;
  for (; p + 1 < m; p += 2) {
    const h0 = p * m, h1 = h0 + m;
    let q = p;
    for (; q + 3 < m; q += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let r = o; r < end; r += m) {
        const a0 = src[r + p], a1 = src[r + p + 1];
        const b0 = src[r + q], b1 = src[r + q + 1], b2 = src[r + q + 2], b3 = src[r + q + 3];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
      }
      H[h0 + q] += s00; H[h0 + q + 1] += s01; H[h0 + q + 2] += s02; H[h0 + q + 3] += s03;
      H[h1 + q] += s10; H[h1 + q + 1] += s11; H[h1 + q + 2] += s12; H[h1 + q + 3] += s13;
    }
    for (; q < m; q++) {
      let s0 = 0, s1 = 0;
      for (let r = o; r < end; r += m) {
        const bq = src[r + q];
        s0 += src[r + p] * bq;
        s1 += src[r + p + 1] * bq;
      }
      H[h0 + q] += s0;
      H[h1 + q] += s1;
    }
  }
  if (p < m) {
    // last row of an odd m: its diagonal entry only
    let s = 0;
    for (let r = o; r < end; r += m) s += src[r + p] * src[r + p];
    H[p * m + p] += s;
  }
}

/**
 * Adds one row a = src[o..o+m) to the upper triangle of H (H += a·aᵀ) and y·a to b.
 * O(m²/2). Call finishMoments after the last row. For many rows at once,
 * accumulateMomentPanel is about four times faster.
 */
export function accumulateMoment(src: Float64Array, o: number, m: number, y: number, H: Float64Array, b: Float64Array): void {
  for (let p = 0; p < m; p++) {
    const ap = src[o + p];
    b[p] += y * ap;
    if (ap === 0) continue;
    const hp = p * m - o;
    for (let q = o + p; q < o + m; q++) H[hp + q] += ap * src[q];
  }
}

/** Scale the accumulated moments by 1/n and mirror H's upper triangle. O(m²). */
export function finishMoments(H: Float64Array, b: Float64Array, m: number, n: number): void {
  const inv = 1 / n;
  for (let p = 0; p < m; p++) {
    b[p] *= inv;
    const hp = p * m;
    for (let q = p; q < m; q++) H[hp + q] *= inv;
  }
  mirrorUpper(H, m);
}

/**
 * Packed outer product with doubled off-diagonals: a = pack(x·xᵀ) such that
 * aᵀ·pack(X) = xᵀXx. Writes a[0..d(d+1)/2). O(d²/2).
 */
export function packedOuter(x: Float64Array, xo: number, d: number, a: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    const xi = x[xo + i];
    a[p++] = xi * xi;
    const twice = 2 * xi;
    for (let j = i + 1; j < d; j++) a[p++] = twice * x[xo + j];
  }
  return a;
}

/**
 * out = H·x for a full m×m matrix H. O(m²), eight rows at a time (x_q loaded
 * once for eight rows).
 */
export function matvec(H: Float64Array, m: number, x: Float64Array, out: Float64Array): Float64Array {
  let p = 0;
  for (; p + 7 < m; p += 8) {
    const o0 = p * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m, o4 = o3 + m, o5 = o4 + m, o6 = o5 + m, o7 = o6 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let q = 0; q < m; q++) {
      const xq = x[q];
      s0 += H[o0 + q] * xq; s1 += H[o1 + q] * xq; s2 += H[o2 + q] * xq; s3 += H[o3 + q] * xq;
      s4 += H[o4 + q] * xq; s5 += H[o5 + q] * xq; s6 += H[o6 + q] * xq; s7 += H[o7 + q] * xq;
    }
    out[p] = s0; out[p + 1] = s1; out[p + 2] = s2; out[p + 3] = s3;
    out[p + 4] = s4; out[p + 5] = s5; out[p + 6] = s6; out[p + 7] = s7;
  }
  for (; p < m; p++) out[p] = rowDot(H, p * m, x, m);
  return out;
}

/**
 * out = H·x for a symmetric m×m H, reading only its upper triangle (entries below
 * the diagonal are ignored). O(m²/2) loads: each H_pq (q > p) serves both
 * out_p += H_pq x_q and out_q += H_pq x_p, eight rows p at a time, so H streams
 * through the cache once at half the bytes of matvec (H is 5 MB at m = 820).
 */
export function symmetricMatvec(H: Float64Array, m: number, x: Float64Array, out: Float64Array): Float64Array {
  out.fill(0, 0, m);
  let p = 0;
  for (; p + 7 < m; p += 8) {
    const o0 = p * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m, o4 = o3 + m, o5 = o4 + m, o6 = o5 + m, o7 = o6 + m;
    const x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3];
    const x4 = x[p + 4], x5 = x[p + 5], x6 = x[p + 6], x7 = x[p + 7];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    // the 8×8 diagonal block, upper triangle only (H_pq for q ≥ p), both directions
    for (let a = 0; a < 8; a++) {
      const oa = (p + a) * m + p;
      let t = H[oa + a] * x[p + a];
      for (let c = a + 1; c < 8; c++) {
        const h = H[oa + c];
        t += h * x[p + c];
        out[p + c] += h * x[p + a];
      }
      out[p + a] += t;
    }
    for (let q = p + 8; q < m; q++) {
      const xq = x[q];
      const h0 = H[o0 + q], h1 = H[o1 + q], h2 = H[o2 + q], h3 = H[o3 + q];
      s0 += h0 * xq; s1 += h1 * xq; s2 += h2 * xq; s3 += h3 * xq;
      const h4 = H[o4 + q], h5 = H[o5 + q], h6 = H[o6 + q], h7 = H[o7 + q];
      s4 += h4 * xq; s5 += h5 * xq; s6 += h6 * xq; s7 += h7 * xq;
      out[q] += (h0 * x0 + h1 * x1) + (h2 * x2 + h3 * x3) + ((h4 * x4 + h5 * x5) + (h6 * x6 + h7 * x7));
    }
    out[p] += s0; out[p + 1] += s1; out[p + 2] += s2; out[p + 3] += s3;
    out[p + 4] += s4; out[p + 5] += s5; out[p + 6] += s6; out[p + 7] += s7;
  }
  for (; p < m; p++) {
    const o = p * m, xp = x[p];
    let s = H[o + p] * xp;
    for (let q = p + 1; q < m; q++) {
      const h = H[o + q];
      s += h * x[q];
      out[q] += h * xp;
    }
    out[p] += s;
  }
  return out;
}
