/**
 * The fused descent step of the moments route (src/linalg/fused.ts loads it):
 * whole gradient-descent steps of B ≥ 1 runs on the same data (one H), in one
 * call per logged interval, so JavaScript is out of the hot loop, and H is read
 * once per step for all B runs.
 *
 * Every run's arithmetic is, operation for operation, that of one step of the
 * per-run path (pipeline/descend.ts over solvers/moments.ts's momentsRoute with
 * these kernels): the same gram and matmul, H·x with every entry one chain in a
 * fixed order, out_p = (…((0 + H_0p·x_0) + H_1p·x_1) + …) + H_{m−1,p}·x_{m−1},
 * whatever the number of runs (panelMatmul below for two or more,
 * symmetricMatvecTriangle for one, which symmetricMatvec is), the same sums for
 * the value, the penalty and ‖∇f‖ as the TypeScript kernels of dense.ts. So a run's bits do not depend on B, on which runs share
 * its batch, or on whether it is stepped here at all.
 */
import { gramUpper, matmul, mirrorUpper, sumSquaredDiff } from "./dense";
import { axpy, dot4, scale } from "./vectors";

// Per-run parameters and results: the first PARAMS doubles of a run's slot.
const P_T = 0; // the step U is at (evaluated)
const P_UNTIL = 1; // stop once t reaches this step
const P_K = 2;
const P_ETA = 3;
const P_LAMBDA = 4;
const P_BETA = 5;
const P_PENALTY = 6; // 0: none, 1: the smooth group Lasso
const P_LIMIT = 7; // the blow-up bound of the objective
const P_TOL = 8; // gradient tolerance (0: none)
const P_TRACK = 9; // 1: record ‖X_{t+1} − X_t‖_F per step
const P_STOPPED = 10; // set to 1 when the run stops (t = until, diverged, or ‖∇f‖ < tol)
const P_VALUE = 11;
const P_OBJECTIVE = 12;
const P_GRADNORM = 13;
const P_STEPS = 14; // updates done by the last call
export const PARAMS: i32 = 16;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** out = U·Uᵀ in dense.ts gram's order (scalar 2×4 tiles): the Gram matrices of the rate fit. */
export function gramScalar(U: usize, d: i32, k: i32, out: usize): void {
  let i = 0;
  for (; i + 1 < d; i += 2) {
    const r0 = i * k, r1 = r0 + k;
    const o0 = i * d, o1 = o0 + d;
    let j = i;
    for (; j + 3 < d; j += 4) {
      const q0 = j * k, q1 = q0 + k, q2 = q1 + k, q3 = q2 + k;
      let s00: f64 = 0, s01: f64 = 0, s02: f64 = 0, s03: f64 = 0, s10: f64 = 0, s11: f64 = 0, s12: f64 = 0, s13: f64 = 0;
      for (let c = 0; c < k; c++) {
        const a0 = ld(U, r0 + c), a1 = ld(U, r1 + c);
        const b0 = ld(U, q0 + c), b1 = ld(U, q1 + c), b2 = ld(U, q2 + c), b3 = ld(U, q3 + c);
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
      }
      st(out, o0 + j, s00); st(out, o0 + j + 1, s01); st(out, o0 + j + 2, s02); st(out, o0 + j + 3, s03);
      st(out, o1 + j, s10); st(out, o1 + j + 1, s11); st(out, o1 + j + 2, s12); st(out, o1 + j + 3, s13);
    }
    for (; j < d; j++) {
      const q0 = j * k;
      let s0: f64 = 0, s1: f64 = 0;
      for (let c = 0; c < k; c++) {
        const b = ld(U, q0 + c);
        s0 += ld(U, r0 + c) * b;
        s1 += ld(U, r1 + c) * b;
      }
      st(out, o0 + j, s0);
      st(out, o1 + j, s1);
    }
  }
  if (i < d) {
    const r0 = U + (<usize>(i * k) << 3);
    st(out, i * d + i, dot4(r0, r0, k));
  }
  mirrorUpper(out, d);
}

/**
 * out = H·x for a symmetric m×m H, reading only its upper triangle (H_qp as H_pq for
 * q > p; half the bytes: the
 * product of a single run is bound by them once H leaves L2), every entry the chain
 * out_p = (…(0 + H_0p·x_0) + …) + H_{m−1,p}·x_{m−1}. Rows in blocks of 4: the terms of the block's
 * rows are added to every later entry (out_t += H_et·x_e, e in the block, in order), and
 * in a second pass over the block's rows its own entries continue their chains with the
 * later terms (acc_e += H_et·x_t, t ascending: four scalar chains). O(m²).
 */
export function symmetricMatvecTriangle(H: usize, m: i32, x: usize, out: usize): void {
  memory.fill(out, 0, <usize>m << 3);
  const rowB = <usize>m << 3;
  let e0 = 0;
  for (; e0 + 3 < m; e0 += 4) {
    const r0 = H + <usize>e0 * rowB, r1 = r0 + rowB, r2 = r1 + rowB, r3 = r2 + rowB;
    // the block's entries: their terms up to the block's last row (earlier rows' are in out)
    let a0 = ld(out, e0), a1 = ld(out, e0 + 1), a2 = ld(out, e0 + 2), a3 = ld(out, e0 + 3);
    // H_qe for q, e in the block, from the upper triangle (H_qe = H_eq)
    const x0 = ld(x, e0), x1 = ld(x, e0 + 1), x2 = ld(x, e0 + 2), x3 = ld(x, e0 + 3);
    a0 += ld(r0, e0) * x0; a0 += ld(r0, e0 + 1) * x1; a0 += ld(r0, e0 + 2) * x2; a0 += ld(r0, e0 + 3) * x3;
    a1 += ld(r0, e0 + 1) * x0; a1 += ld(r1, e0 + 1) * x1; a1 += ld(r1, e0 + 2) * x2; a1 += ld(r1, e0 + 3) * x3;
    a2 += ld(r0, e0 + 2) * x0; a2 += ld(r1, e0 + 2) * x1; a2 += ld(r2, e0 + 2) * x2; a2 += ld(r2, e0 + 3) * x3;
    a3 += ld(r0, e0 + 3) * x0; a3 += ld(r1, e0 + 3) * x1; a3 += ld(r2, e0 + 3) * x2; a3 += ld(r3, e0 + 3) * x3;
    // later entries t: the block's four terms, in row order (two entries per f64x2)
    const xb = x + (<usize>e0 << 3);
    const v0 = v128.load64_splat(xb), v1 = v128.load64_splat(xb, 8), v2 = v128.load64_splat(xb, 16), v3 = v128.load64_splat(xb, 24);
    let t = e0 + 4;
    for (; t + 1 < m; t += 2) {
      const off = <usize>t << 3;
      const o = out + off;
      v128.store(o, f64x2.add(f64x2.add(f64x2.add(f64x2.add(v128.load(o),
        f64x2.mul(v128.load(r0 + off), v0)), f64x2.mul(v128.load(r1 + off), v1)),
        f64x2.mul(v128.load(r2 + off), v2)), f64x2.mul(v128.load(r3 + off), v3)));
    }
    if (t < m) {
      st(out, t, (((ld(out, t) + ld(r0, t) * ld(x, e0)) + ld(r1, t) * ld(x, e0 + 1)) + ld(r2, t) * ld(x, e0 + 2)) + ld(r3, t) * ld(x, e0 + 3));
    }
    // the block's entries: the later terms t, ascending (four scalar chains)
    for (t = e0 + 4; t < m; t++) {
      const off = <usize>t << 3;
      const xt = load<f64>(x + off);
      a0 += load<f64>(r0 + off) * xt;
      a1 += load<f64>(r1 + off) * xt;
      a2 += load<f64>(r2 + off) * xt;
      a3 += load<f64>(r3 + off) * xt;
    }
    st(out, e0, a0); st(out, e0 + 1, a1); st(out, e0 + 2, a2); st(out, e0 + 3, a3);
  }
  // the last rows (fewer than 4): only terms within them are left
  for (let e = e0; e < m; e++) {
    let a = ld(out, e);
    for (let q = e0; q < m; q++) a += (q <= e ? ld(H + <usize>q * rowB, e) : ld(H + <usize>e * rowB, q)) * ld(x, q);
    st(out, e, a);
  }
}

/**
 * out_b = H·x_b for B vectors x_b (X and out hold them one after another, m each), H in
 * panels (the fused engine's copy, written by linalg/fused.ts): panel P holds
 * H_q,(8P..8P+7) for q = 0…m−1, 8 doubles per q (zeros past m). Every entry is one chain
 * over q ascending, out_bp = (…((0 + H_0p·x_b0) + H_1p·x_b1) + …), whatever B and the
 * tile, so a vector's result does not depend on the others (nor on symmetricMatvecTriangle's
 * order: the same chain). The lanes are entries p, p+1; a tile holds 8 rows of out for
 * two vectors (8 f64x2 accumulators, 6 loads per 8 multiply-add pairs), each panel
 * taken by every pair while it is in L1, or 16 rows of a last odd vector. O(B·m²).
 */
export function panelMatmul(Hp: usize, m: i32, X: usize, B: i32, out: usize): void {
  const rowB = <usize>m << 3;
  const panels = (m + 7) >> 3;
  const panelB = <usize>m << 6;
  // panel by panel, every pair of vectors against it while it is in L1
  for (let P = 0; P < panels; P++) {
    for (let b = 0; b + 1 < B; b += 2) {
      const xa = X + <usize>b * rowB, xb = xa + rowB, oa = out + <usize>b * rowB, ob = oa + rowB;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
      let h = Hp + <usize>P * panelB;
      for (let q = 0; q < m; q++) {
        const h0 = v128.load(h), h1 = v128.load(h, 16), h2 = v128.load(h, 32), h3 = v128.load(h, 48);
        const u = v128.load64_splat(xa + (<usize>q << 3)), v = v128.load64_splat(xb + (<usize>q << 3));
        a0 = f64x2.add(a0, f64x2.mul(h0, u)); a1 = f64x2.add(a1, f64x2.mul(h1, u));
        a2 = f64x2.add(a2, f64x2.mul(h2, u)); a3 = f64x2.add(a3, f64x2.mul(h3, u));
        b0 = f64x2.add(b0, f64x2.mul(h0, v)); b1 = f64x2.add(b1, f64x2.mul(h1, v));
        b2 = f64x2.add(b2, f64x2.mul(h2, v)); b3 = f64x2.add(b3, f64x2.mul(h3, v));
        h += 64;
      }
      storeRows(oa, P << 3, m, a0, a1, a2, a3);
      storeRows(ob, P << 3, m, b0, b1, b2, b3);
    }
  }
  if (B & 1) {
    const xa = X + <usize>(B - 1) * rowB, oa = out + <usize>(B - 1) * rowB;
    let P = 0;
    for (; P + 1 < panels; P += 2) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let a4 = f64x2.splat(0), a5 = f64x2.splat(0), a6 = f64x2.splat(0), a7 = f64x2.splat(0);
      let h = Hp + <usize>P * panelB, g = h + panelB;
      for (let q = 0; q < m; q++) {
        const u = v128.load64_splat(xa + (<usize>q << 3));
        a0 = f64x2.add(a0, f64x2.mul(v128.load(h), u)); a1 = f64x2.add(a1, f64x2.mul(v128.load(h, 16), u));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(h, 32), u)); a3 = f64x2.add(a3, f64x2.mul(v128.load(h, 48), u));
        a4 = f64x2.add(a4, f64x2.mul(v128.load(g), u)); a5 = f64x2.add(a5, f64x2.mul(v128.load(g, 16), u));
        a6 = f64x2.add(a6, f64x2.mul(v128.load(g, 32), u)); a7 = f64x2.add(a7, f64x2.mul(v128.load(g, 48), u));
        h += 64;
        g += 64;
      }
      storeRows(oa, P << 3, m, a0, a1, a2, a3);
      storeRows(oa, (P + 1) << 3, m, a4, a5, a6, a7);
    }
    if (P < panels) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let h = Hp + <usize>P * panelB;
      for (let q = 0; q < m; q++) {
        const u = v128.load64_splat(xa + (<usize>q << 3));
        a0 = f64x2.add(a0, f64x2.mul(v128.load(h), u)); a1 = f64x2.add(a1, f64x2.mul(v128.load(h, 16), u));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(h, 32), u)); a3 = f64x2.add(a3, f64x2.mul(v128.load(h, 48), u));
        h += 64;
      }
      storeRows(oa, P << 3, m, a0, a1, a2, a3);
    }
  }
}

/** out[p0 … p0+7] = the lanes of a0…a3, the entries below m only. */
@inline function storeRows(out: usize, p0: i32, m: i32, a0: v128, a1: v128, a2: v128, a3: v128): void {
  const o = out + (<usize>p0 << 3);
  if (p0 + 8 <= m) {
    v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
    return;
  }
  const n = m - p0;
  if (n > 0) st(o, 0, f64x2.extract_lane(a0, 0));
  if (n > 1) st(o, 1, f64x2.extract_lane(a0, 1));
  if (n > 2) st(o, 2, f64x2.extract_lane(a1, 0));
  if (n > 3) st(o, 3, f64x2.extract_lane(a1, 1));
  if (n > 4) st(o, 4, f64x2.extract_lane(a2, 0));
  if (n > 5) st(o, 5, f64x2.extract_lane(a2, 1));
  if (n > 6) st(o, 6, f64x2.extract_lane(a3, 0));
}

/**
 * Evaluate the runs `slots[0..n)` at their U (evaluateOnly = 1), or advance them:
 * up to `maxSteps` times, every run not yet stopped takes one step U ← U − η∇f and is
 * evaluated at its new U; a run stops (P_STOPPED = 1) once its t reaches P_UNTIL, its
 * objective or gradient is not finite or exceeds P_LIMIT, or ‖∇f‖ < P_TOL. Returns the
 * number of runs still going. The slots (stride `stride` doubles from `base`) hold the
 * parameters, U (d×k), ∇f, the previous Gram matrix and the per-step Gram differences;
 * `scratch` holds X, G, Xcur (d² each), colSq (kcap), then n vectors x and n of H·x (m each).
 * H is in panels (panelMatmul) if `panels`, else m×m (one run: symmetricMatvecTriangle), bv = b.
 */
export function fusedAdvance(
  H: usize, m: i32, bv: usize, c: f64, d: i32, kcap: i32, chunk: i32,
  base: usize, stride: i32, slots: usize, n: i32, maxSteps: i32, evaluateOnly: i32, scratch: usize, panels: i32,
): i32 {
  const dd = d * d;
  const X = scratch, G = X + (<usize>dd << 3), Xcur = G + (<usize>dd << 3), colSq = Xcur + (<usize>dd << 3);
  const xs = colSq + (<usize>kcap << 3);
  const gs = xs + (<usize>(m * n) << 3);
  const dk = d * kcap;
  let going = 0;
  const iterations = evaluateOnly != 0 ? 1 : maxSteps;
  for (let it = 0; it < iterations; it++) {
    // 1. step each run still going and pack x = pack(UUᵀ) of its new U, two runs per pair
    let live = 0;
    for (let r = 0; r < n; r++) {
      const slot = base + ((<usize>load<i32>(slots + (<usize>r << 2)) * <usize>stride) << 3);
      if (ld(slot, P_STOPPED) != 0) continue;
      const k = <i32>ld(slot, P_K);
      const U = slot + (<usize>PARAMS << 3), grad = U + (<usize>dk << 3), Xprev = grad + (<usize>dk << 3);
      const size = d * k;
      if (evaluateOnly == 0) {
        axpy(-ld(slot, P_ETA), grad, U, size);
        const steps = <i32>ld(slot, P_STEPS);
        if (ld(slot, P_TRACK) != 0) {
          gramScalar(U, d, k, Xcur);
          st(Xprev + (<usize>dd << 3), steps, Math.sqrt(sumSquaredDiff(Xcur, Xprev, dd)));
          memory.copy(Xprev, Xcur, <usize>dd << 3);
        }
        st(slot, P_STEPS, steps + 1);
        st(slot, P_T, ld(slot, P_T) + 1);
      } else {
        st(slot, P_STEPS, 0);
        if (ld(slot, P_TRACK) != 0) gramScalar(U, d, k, Xprev);
      }
      gramUpper(U, d, k, X);
      // the live-th run's x: the live-th vector of xs
      const x = xs + (<usize>(live * m) << 3);
      let p = 0;
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) st(x, p++, ld(X, i * d + j));
      live++;
    }
    if (live == 0) return 0;
    // 2. g = H·x for every run: H in panels read once per two runs, or (an engine of one run) its upper triangle
    if (panels != 0) panelMatmul(H, m, xs, live, gs);
    else symmetricMatvecTriangle(H, m, xs, gs);
    // 3. finish each run's evaluation: value, ∇L = 4·G·U, penalty, ‖∇f‖, stop tests
    going = 0;
    live = 0;
    for (let r = 0; r < n; r++) {
      const slot = base + ((<usize>load<i32>(slots + (<usize>r << 2)) * <usize>stride) << 3);
      if (ld(slot, P_STOPPED) != 0) continue;
      const k = <i32>ld(slot, P_K);
      const U = slot + (<usize>PARAMS << 3), grad = U + (<usize>dk << 3);
      const x = xs + (<usize>(live * m) << 3), g = gs + (<usize>(live * m) << 3);
      live++;
      for (let q = 0; q < m; q++) st(g, q, ld(g, q) - ld(bv, q));
      const v = dot4(x, g, m) - dot4(bv, x, m) + c;
      const value = max<f64>(0, v);
      // G = unpack(g), off-diagonals halved, then ∇L = 4·G·U
      let p = 0;
      for (let i = 0; i < d; i++) {
        st(G, i * d + i, ld(g, p++));
        for (let j = i + 1; j < d; j++) {
          const h = 0.5 * ld(g, p++);
          st(G, i * d + j, h);
          st(G, j * d + i, h);
        }
      }
      matmul(G, d, d, U, k, grad);
      const size = d * k;
      scale(4, grad, size);
      const lambda = ld(slot, P_LAMBDA), beta = ld(slot, P_BETA);
      let pen: f64 = 0;
      if (ld(slot, P_PENALTY) != 0) pen = smoothGroupLasso(U, d, k, beta, lambda, grad, colSq);
      const gradNorm = Math.sqrt(dot4(grad, grad, size));
      const objective = value + lambda * pen;
      st(slot, P_VALUE, value);
      st(slot, P_OBJECTIVE, objective);
      st(slot, P_GRADNORM, gradNorm);
      if (evaluateOnly != 0) continue;
      const tol = ld(slot, P_TOL);
      if (!isFinite(objective) || !isFinite(gradNorm) || objective > ld(slot, P_LIMIT)
        || ld(slot, P_T) >= ld(slot, P_UNTIL) || (tol > 0 && gradNorm < tol)) st(slot, P_STOPPED, 1);
      else going++;
    }
    if (going == 0) return 0;
  }
  return going;
}

/**
 * R_β(U) = Σ‖u_j‖²/sqrt(‖u_j‖² + β), and grad += λ∇R_β when λ ≠ 0: penalties/smooth-group-lasso.ts
 * with dense.ts's columnSquaredNorms, operation for operation.
 */
function smoothGroupLasso(U: usize, d: i32, k: i32, beta: f64, lambda: f64, grad: usize, colSq: usize): f64 {
  // columns in f64x2 pairs (each column the same operations as alone), the last odd one scalar
  memory.fill(colSq, 0, <usize>k << 3);
  const rowB = <usize>k << 3;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    const r0 = U + <usize>i * rowB, r1 = r0 + rowB, r2 = r1 + rowB, r3 = r2 + rowB;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const off = <usize>j << 3;
      const a = v128.load(r0 + off), b = v128.load(r1 + off), c = v128.load(r2 + off), e = v128.load(r3 + off);
      const sum = f64x2.add(f64x2.add(f64x2.mul(a, a), f64x2.mul(b, b)), f64x2.add(f64x2.mul(c, c), f64x2.mul(e, e)));
      v128.store(colSq + off, f64x2.add(v128.load(colSq + off), sum));
    }
    if (j < k) {
      const a = ld(r0, j), b = ld(r1, j), c = ld(r2, j), e = ld(r3, j);
      st(colSq, j, ld(colSq, j) + (a * a + b * b + (c * c + e * e)));
    }
  }
  for (; i < d; i++) {
    const r = U + <usize>i * rowB;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const off = <usize>j << 3;
      const a = v128.load(r + off);
      v128.store(colSq + off, f64x2.add(v128.load(colSq + off), f64x2.mul(a, a)));
    }
    if (j < k) st(colSq, j, ld(colSq, j) + ld(r, j) * ld(r, j));
  }
  let value: f64 = 0;
  for (let j = 0; j < k; j++) {
    const s = ld(colSq, j);
    value += s / Math.sqrt(s + beta);
    st(colSq, j, (lambda * (s + 2 * beta)) / ((s + beta) * Math.sqrt(s + beta)));
  }
  if (lambda != 0) {
    for (let r = 0; r < d; r++) {
      const o = <usize>r * rowB;
      const u = U + o, g = grad + o;
      let j = 0;
      for (; j + 1 < k; j += 2) {
        const off = <usize>j << 3;
        v128.store(g + off, f64x2.add(v128.load(g + off), f64x2.mul(v128.load(colSq + off), v128.load(u + off))));
      }
      if (j < k) st(g, j, ld(g, j) + ld(colSq, j) * ld(u, j));
    }
  }
  return value;
}
