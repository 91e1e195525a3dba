/**
 * Kernels for rank-one measurements A_i = x_i·x_iᵀ (the quadratic network),
 * with the n inputs stored as the rows of a flat n×d matrix. None forms a d×d
 * matrix per sample.
 *
 * W is symmetric in every kernel that takes it except quadForm (W = UUᵀ in the
 * solver), so a quadratic form reads only W's upper triangle:
 * xᵀWx = Σ_a x_a (W_aa x_a + 2 Σ_{b>a} W_ab x_b), d²/2 multiply-adds, four
 * samples at a time so each W_ab is loaded once for four of them.
 */
import { mirrorUpper } from "./dense.js";
import { packedSize } from "./packed.js";

/**
 * Residuals and the weighted Gram matrix in one pass over the inputs:
 * r_i = x_iᵀWx_i − y_i, G = Σ r_i x_i x_iᵀ (full symmetric d×d). Returns Σ r_i².
 * W must be symmetric (its upper triangle is read). O(n·d²/2) for the quadratic
 * forms plus O(n·d²/2) for the upper triangle of G. `t` is scratch of length d:
 * the samples are taken in panels of d, t holds a panel's residuals, and each
 * 2×4 tile of G is accumulated in registers over the panel.
 */
export function quadFormResidualGram(
  X: Float64Array, n: number, d: number, W: Float64Array, y: Float64Array, G: Float64Array, t: Float64Array,
): number {
  G.fill(0, 0, d * d);
  let sse = 0;
  for (let i0 = 0; i0 < n; i0 += d) {
    const rows = i0 + d < n ? d : n - i0;
    symmetricQuadForms(X, i0, rows, d, W, t);
    for (let s = 0; s < rows; s++) {
      const r = t[s] - y[i0 + s];
      t[s] = r;
      sse += r * r;
    }
    weightedGramPanel(X, i0 * d, rows, d, t, G);
  }
  mirrorUpper(G, d);
  return sse;
}

/**
 * out[s] = x_iᵀWx_i for the `rows` samples i = i0 + s (W symmetric, upper triangle
 * read). Four samples at a time. O(rows·d²/2).
 */
function symmetricQuadForms(X: Float64Array, i0: number, rows: number, d: number, W: Float64Array, out: Float64Array): void {
  let s = 0;
  for (; s + 3 < rows; s += 4) {
    const o0 = (i0 + s) * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (let a = 0; a < d; a++) {
      const wa = a * d;
      let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let b = a + 1; b < d; b++) {
        const w = W[wa + b];
        t0 += w * X[o0 + b]; t1 += w * X[o1 + b]; t2 += w * X[o2 + b]; t3 += w * X[o3 + b];
      }
      const waa = W[wa + a];
      const x0 = X[o0 + a], x1 = X[o1 + a], x2 = X[o2 + a], x3 = X[o3 + a];
      q0 += x0 * (waa * x0 + 2 * t0); q1 += x1 * (waa * x1 + 2 * t1);
      q2 += x2 * (waa * x2 + 2 * t2); q3 += x3 * (waa * x3 + 2 * t3);
    }
    out[s] = q0; out[s + 1] = q1; out[s + 2] = q2; out[s + 3] = q3;
  }
  for (; s < rows; s++) out[s] = symmetricQuadForm(X, (i0 + s) * d, d, W);
}

/** xᵀWx for the row at X[o], W symmetric (upper triangle read). O(d²/2). */
function symmetricQuadForm(X: Float64Array, o: number, d: number, W: Float64Array): number {
  let q = 0;
  for (let a = 0; a < d; a++) {
    const wa = a * d;
    let t0 = 0, t1 = 0;
    let b = a + 1;
    for (; b + 1 < d; b += 2) {
      t0 += W[wa + b] * X[o + b];
      t1 += W[wa + b + 1] * X[o + b + 1];
    }
    if (b < d) t0 += W[wa + b] * X[o + b];
    const xa = X[o + a];
    q += xa * (W[wa + a] * xa + 2 * (t0 + t1));
  }
  return q;
}

/**
 * Upper triangle of G (d×d) += Σ_s w_s x_s x_sᵀ over the `rows` rows x_s = X[o + s·d ..).
 * 2×4 tiles of G in registers over the rows; a tile on the diagonal also writes
 * entries just below it, which the caller's mirror overwrites. O(rows·d²/2).
 */
function weightedGramPanel(X: Float64Array, o: number, rows: number, d: number, w: Float64Array, G: Float64Array): void {
  const end = o + rows * d;
  let a = 0;
  for (; a + 1 < d; a += 2) {
    const g0 = a * d, g1 = g0 + d;
    let b = a;
    for (; b + 3 < d; b += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let r = o, s = 0; r < end; r += d, s++) {
        const ws = w[s];
        const c0 = ws * X[r + a], c1 = ws * X[r + a + 1];
        const b0 = X[r + b], b1 = X[r + b + 1], b2 = X[r + b + 2], b3 = X[r + b + 3];
        s00 += c0 * b0; s01 += c0 * b1; s02 += c0 * b2; s03 += c0 * b3;
        s10 += c1 * b0; s11 += c1 * b1; s12 += c1 * b2; s13 += c1 * b3;
      }
      G[g0 + b] += s00; G[g0 + b + 1] += s01; G[g0 + b + 2] += s02; G[g0 + b + 3] += s03;
      G[g1 + b] += s10; G[g1 + b + 1] += s11; G[g1 + b + 2] += s12; G[g1 + b + 3] += s13;
    }
    for (; b < d; b++) {
      let s0 = 0, s1 = 0;
      for (let r = o, s = 0; r < end; r += d, s++) {
        const xb = w[s] * X[r + b];
        s0 += X[r + a] * xb;
        s1 += X[r + a + 1] * xb;
      }
      G[g0 + b] += s0;
      G[g1 + b] += s1;
    }
  }
  if (a < d) {
    let s0 = 0;
    for (let r = o, s = 0; r < end; r += d, s++) s0 += w[s] * X[r + a] * X[r + a];
    G[a * d + a] += s0;
  }
}

/** x_iᵀWx_i for the row starting at X[o], any W (d×d); t (length d) is scratch. O(d²). */
export function quadForm(X: Float64Array, o: number, d: number, W: Float64Array, t: Float64Array): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    const wa = a * d;
    let acc0 = 0, acc1 = 0;
    let b = 0;
    for (; b + 1 < d; b += 2) {
      acc0 += W[wa + b] * X[o + b];
      acc1 += W[wa + b + 1] * X[o + b + 1];
    }
    if (b < d) acc0 += W[wa + b] * X[o + b];
    t[a] = acc0 + acc1;
    s += X[o + a] * t[a];
  }
  return s;
}

/**
 * Σ_i (x_iᵀWx_i − y_i)² over the n rows of X, W symmetric (upper triangle read).
 * O(n·d²/2), four samples at a time. `t` (length d) is scratch.
 */
export function quadFormSse(X: Float64Array, n: number, d: number, W: Float64Array, y: Float64Array, t: Float64Array): number {
  let sse = 0;
  for (let i0 = 0; i0 < n; i0 += d) {
    const rows = i0 + d < n ? d : n - i0;
    symmetricQuadForms(X, i0, rows, d, W, t);
    for (let s = 0; s < rows; s++) {
      const r = t[s] - y[i0 + s];
      sse += r * r;
    }
  }
  return sse;
}

/**
 * The XU route: P = X·U (n×k), r_i = ‖P_i‖² − y_i, R = r ∘ P written into P, and
 * returns Σ r_i². The gradient then is (4/n)·Xᵀ·P (matmulTransA). O(n·d·k): two
 * rows of P by four columns in registers over a (two entries of X, four of U).
 */
export function projectedResiduals(
  X: Float64Array, n: number, d: number, U: Float64Array, k: number, y: Float64Array, P: Float64Array,
): number {
  let sse = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = i * d, x1 = x0 + d;
    const p0 = i * k, p1 = p0 + k;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let a = 0, ua = j; a < d; a++, ua += k) {
        const c0 = X[x0 + a], c1 = X[x1 + a];
        const u0 = U[ua], u1 = U[ua + 1], u2 = U[ua + 2], u3 = U[ua + 3];
        s00 += c0 * u0; s01 += c0 * u1; s02 += c0 * u2; s03 += c0 * u3;
        s10 += c1 * u0; s11 += c1 * u1; s12 += c1 * u2; s13 += c1 * u3;
      }
      P[p0 + j] = s00; P[p0 + j + 1] = s01; P[p0 + j + 2] = s02; P[p0 + j + 3] = s03;
      P[p1 + j] = s10; P[p1 + j + 1] = s11; P[p1 + j + 2] = s12; P[p1 + j + 3] = s13;
    }
    for (; j < k; j++) {
      let s0 = 0, s1 = 0;
      for (let a = 0, ua = j; a < d; a++, ua += k) {
        const u = U[ua];
        s0 += X[x0 + a] * u;
        s1 += X[x1 + a] * u;
      }
      P[p0 + j] = s0;
      P[p1 + j] = s1;
    }
    sse += scaleByResidual(P, p0, k, y[i]) + scaleByResidual(P, p1, k, y[i + 1]);
  }
  if (i < n) {
    const x0 = i * d, p0 = i * k;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0, ua = j; a < d; a++, ua += k) s += X[x0 + a] * U[ua];
      P[p0 + j] = s;
    }
    sse += scaleByResidual(P, p0, k, y[i]);
  }
  return sse;
}

/** r = ‖P[o..o+k)‖² − y, then P[o..o+k) *= r; returns r². */
function scaleByResidual(P: Float64Array, o: number, k: number, y: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += P[o + j] * P[o + j];
  const r = s - y;
  for (let j = 0; j < k; j++) P[o + j] *= r;
  return r * r;
}

/** Samples per panel of quadraticMoments. */
export const QUADRATIC_MOMENT_PANEL = 64;

/** Length of the scratch quadraticMoments needs for inputs of dimension d. */
export function quadraticMomentsScratchSize(d: number): number {
  return (2 * d + 1) * QUADRATIC_MOMENT_PANEL;
}

/**
 * Second moments of the packed rank-one measurements a_i = pack(x_i x_iᵀ)
 * (off-diagonals doubled, as packedOuter), without forming them:
 * H = (1/n) Σ a_i a_iᵀ (m×m, full symmetric, m = d(d+1)/2), b = (1/n) Σ y_i a_i,
 * returns c = (1/n) Σ y_i². The same numbers as packedMoments over the packed
 * rows, at a third of its cost: every entry of H is w·μ_abce, a fourth moment
 * μ_abce = (1/n) Σ x_a x_b x_c x_e (w = 1, 2 or 4 from the doubling), and μ is
 * symmetric in its four indices, so only the C(d+3, 4) ≈ d⁴/24 sorted ones
 * a ≤ b ≤ c ≤ e are summed (O(n·d⁴/24)) and then copied to their three
 * pairings (ab|ce), (ac|be), (ae|bc) and the transposes (O(m²)).
 *
 * `scratch` has length ≥ quadraticMomentsScratchSize(d): a panel of
 * QUADRATIC_MOMENT_PANEL inputs transposed (d×P), one row x_a∘x_b (P) and the
 * rows x_a∘x_b∘x_c for c ≥ b (d×P).
 */
export function quadraticMoments(
  X: Float64Array, n: number, d: number, y: Float64Array, H: Float64Array, b: Float64Array, scratch: Float64Array,
): number {
  const m = packedSize(d);
  const P = QUADRATIC_MOMENT_PANEL;
  // one array, three regions (fewer base pointers live in the inner loops):
  // S[0, d·P) the panel transposed, S[zab, zab + P) x_a∘x_b, S[z0, z0 + d·P) the rows x_a∘x_b∘x_c
  const S = scratch;
  const zab = d * P, z0 = zab + P;
  H.fill(0, 0, m * m);
  const c = quadraticLinearMoments(X, n, d, y, b);

  // Raw sums Σ x_a x_b x_c x_e (a ≤ b ≤ c ≤ e) at H[pk(a,b)·m + pk(c,e)], the upper triangle.
  for (let i0 = 0; i0 < n; i0 += P) {
    const rows = i0 + P < n ? P : n - i0;
    transposePanel(X, i0, rows, d, S);
    for (let a = 0; a < d; a++) {
      const ta = a * rows;
      for (let bb = a; bb < d; bb++) {
        const tb = bb * rows;
        for (let s = 0; s < rows; s++) S[zab + s] = S[ta + s] * S[tb + s];
        for (let cc = bb; cc < d; cc++) {
          const tc = cc * rows, zc = z0 + tc;
          for (let s = 0; s < rows; s++) S[zc + s] = S[zab + s] * S[tc + s];
        }
        fourthMomentRow(S, z0, rows, d, bb, H, packedIndex(a, bb, d) * m);
      }
    }
  }
  scatterFourthMoments(H, d, 1 / n);
  return c;
}

/**
 * b = (1/n) Σ y_i pack(x_i x_iᵀ) (off-diagonals doubled) and returns c = (1/n) Σ y_i²:
 * one pass over the samples, O(n·m).
 */
export function quadraticLinearMoments(X: Float64Array, n: number, d: number, y: Float64Array, b: Float64Array): number {
  const m = packedSize(d);
  b.fill(0, 0, m);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d, yi = y[i];
    c += yi * yi;
    let p = 0;
    for (let a = 0; a < d; a++) {
      const ya = yi * X[o + a];
      b[p++] += ya * X[o + a];
      const twice = 2 * ya;
      for (let e = a + 1; e < d; e++) b[p++] += twice * X[o + e];
    }
  }
  const inv = 1 / n;
  for (let p = 0; p < m; p++) b[p] *= inv;
  return c * inv;
}

/** T[a·rows + s] = X[(i0 + s)·d + a]: `rows` inputs from i0 transposed, so later loops run over contiguous samples. */
export function transposePanel(X: Float64Array, i0: number, rows: number, d: number, T: Float64Array): Float64Array {
  for (let s = 0; s < rows; s++) {
    const o = (i0 + s) * d;
    for (let a = 0; a < d; a++) T[a * rows + s] = X[o + a];
  }
  return T;
}

/**
 * From the raw sorted sums μ_abce at H[pk(a,b)·m + pk(c,e)] (a ≤ b ≤ c ≤ e) to the full
 * H (m×m): each scaled by `scale`, weighted by the doubling and copied to its three
 * pairings (ab|ce), (ac|be), (ae|bc) and their transposes. O(m²).
 */
export function scatterFourthMoments(H: Float64Array, d: number, scale: number): Float64Array {
  const m = packedSize(d);
  for (let a = 0; a < d; a++) {
    for (let bb = a; bb < d; bb++) {
      const ab = packedIndex(a, bb, d), wab = a === bb ? 1 : 2;
      for (let cc = bb; cc < d; cc++) {
        const ac = packedIndex(a, cc, d), bc = packedIndex(bb, cc, d), wac = a === cc ? 1 : 2, wbc = bb === cc ? 1 : 2;
        const cRow = packedIndex(cc, cc, d) - cc;
        const bRow = packedIndex(bb, bb, d) - bb;
        const aRow = packedIndex(a, a, d) - a;
        for (let e = cc; e < d; e++) {
          const ce = cRow + e, be = bRow + e, ae = aRow + e;
          const mu = H[ab * m + ce] * scale;
          const wce = cc === e ? 1 : 2, wbe = bb === e ? 1 : 2, wae = a === e ? 1 : 2;
          const v1 = wab * wce * mu, v2 = wac * wbe * mu, v3 = wae * wbc * mu;
          H[ab * m + ce] = v1; H[ce * m + ab] = v1;
          H[ac * m + be] = v2; H[be * m + ac] = v2;
          H[ae * m + bc] = v3; H[bc * m + ae] = v3;
        }
      }
    }
  }
  return H;
}

/** Index of (a, b), a ≤ b, in the packed upper triangle of a d×d matrix. */
function packedIndex(a: number, b: number, d: number): number {
  return a * d - (a * (a - 1)) / 2 + (b - a);
}

/**
 * For fixed (a, b): H[row + pk(c, e)] += Σ_s Z[c][s]·T[e][s] for b ≤ c ≤ e < d, where
 * T[e] = S[e·rows ..) is input e over the panel and Z[c] = S[zOffset + c·rows ..) is x_a∘x_b∘x_c. pk(c, e) is contiguous in e, so each c is a
 * run of H's row. Two c by four e in registers over the samples.
 */
function fourthMomentRow(S: Float64Array, zOffset: number, rows: number, d: number, b: number, H: Float64Array, row: number): void {
  let c = b;
  for (; c + 1 < d; c += 2) {
    const z0 = zOffset + c * rows, z1 = z0 + rows;
    const h0 = row + packedIndex(c, c, d) - c, h1 = row + packedIndex(c + 1, c + 1, d) - (c + 1);
    // e = c belongs to row c only
    {
      const tc = c * rows;
      let s0 = 0;
      for (let s = 0; s < rows; s++) s0 += S[z0 + s] * S[tc + s];
      H[h0 + c] += s0;
    }
    let e = c + 1;
    for (; e + 3 < d; e += 4) {
      const t0 = e * rows, t1 = t0 + rows, t2 = t1 + rows, t3 = t2 + rows;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let s = 0; s < rows; s++) {
        const a0 = S[z0 + s], a1 = S[z1 + s];
        const b0 = S[t0 + s], b1 = S[t1 + s], b2 = S[t2 + s], b3 = S[t3 + s];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
      }
      H[h0 + e] += s00; H[h0 + e + 1] += s01; H[h0 + e + 2] += s02; H[h0 + e + 3] += s03;
      H[h1 + e] += s10; H[h1 + e + 1] += s11; H[h1 + e + 2] += s12; H[h1 + e + 3] += s13;
    }
    for (; e < d; e++) {
      const te = e * rows;
      let s0 = 0, s1 = 0;
      for (let s = 0; s < rows; s++) {
        const be = S[te + s];
        s0 += S[z0 + s] * be;
        s1 += S[z1 + s] * be;
      }
      H[h0 + e] += s0;
      H[h1 + e] += s1;
    }
  }
  if (c < d) {
    const z0 = zOffset + c * rows, tc = c * rows;
    let s0 = 0;
    for (let s = 0; s < rows; s++) s0 += S[z0 + s] * S[tc + s];
    H[row + packedIndex(c, c, d)] += s0;
  }
}
